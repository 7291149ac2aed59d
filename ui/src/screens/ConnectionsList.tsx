import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { call } from "../api/client";
import { useConnections } from "../api/queries";
import type { Connection, TestOutcome } from "../api/types";
import { Badge, KindBadge } from "../components/Badge";
import { ControlPanel } from "../components/ControlPanel";
import { EmptyState } from "../components/EmptyState";
import { ErrorBox } from "../components/ErrorBox";
import { Icon } from "../components/Icon";
import { ListStates } from "../components/ListStates";
import { inRow, OpenableRow } from "../components/RecordTable";
import { TestResult } from "../components/TestResult";
import { navigate } from "../lib/router";
import { useFormat } from "../lib/useFormat";
import { useNow } from "../lib/useNow";

type TestState = { pending: true } | { pending: false; outcome: TestOutcome } | { pending: false; error: unknown };

export function ConnectionsList() {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const connections = useConnections();
  const [query, setQuery] = useState("");
  const [tests, setTests] = useState<Record<number, TestState>>({});

  const open = (c: Connection) => navigate(`/connections/${c.id}`);
  const newButton = (
    <button type="button" className="btn btn-primary" onClick={() => navigate("/connections/new")} data-testid="btn-new-connection">
      <Icon name="plus" />
      {t("connections.new")}
    </button>
  );

  const runTest = async (c: Connection) => {
    setTests((s) => ({ ...s, [c.id]: { pending: true } }));
    try {
      const outcome = await call("test_connection", { id: c.id });
      setTests((s) => ({ ...s, [c.id]: { pending: false, outcome } }));
    } catch (error) {
      setTests((s) => ({ ...s, [c.id]: { pending: false, error } }));
    }
  };

  const q = query.trim().toLowerCase();
  const rows =
    connections.data?.filter(
      (c) => !q || [c.name, c.base_url, c.kind, t(`kind.${c.kind}`)].some((v) => v.toLowerCase().includes(q)),
    ) ?? [];

  const crumbs = [{ label: t("connections.title") }];
  const search = { value: query, onChange: setQuery, placeholder: t("connections.searchPlaceholder") };

  const nothingYet =
    connections.data?.length === 0 ? (
      <EmptyState
        icon="connections"
        title={t("connections.emptyTitle")}
        body={t("connections.emptyBody")}
        action={{ label: t("connections.emptyAction"), onClick: () => navigate("/connections/new"), testId: "btn-empty-new-connection" }}
      />
    ) : null;
  const table = (
    <table className="table table-click">
      <thead>
        <tr>
          <th>{t("connections.colName")}</th>
          <th>{t("connections.colKind")}</th>
          <th>{t("connections.colEnvironment")}</th>
          <th>{t("connections.colUrl")}</th>
          <th>{t("connections.colActive")}</th>
          <th className="right">{t("connections.colRequests")}</th>
          <th className="right">{t("connections.colErrors")}</th>
          <th>{t("connections.colLastSync")}</th>
          <th className="right">
            <span className="sr-only">{t("common.actions")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => {
          const test = tests[c.id];
          return (
            <Fragment key={c.id}>
              <OpenableRow onOpen={() => open(c)} data-testid={`connection-row-${c.name}`} className={c.active ? undefined : "row-inactive"}>
                <td className="strong">
                  {c.name}
                  {c.has_secret ? (
                    <span className="secret-mark" title={t("connections.secretStored")}>
                      <Icon name="key" size={12} title={t("connections.secretStored")} />
                    </span>
                  ) : null}
                </td>
                <td>
                  <KindBadge kind={c.kind} />
                </td>
                <td>
                  <Badge tone={c.environment === "production" ? "info" : "neutral"}>{t(`environment.${c.environment}`)}</Badge>
                </td>
                <td className="mono fill" title={c.base_url}>
                  {c.base_url}
                </td>
                <td>{c.active ? t("common.yes") : <span className="muted">{t("common.no")}</span>}</td>
                <td className="right num">{f.number(c.stats.requests)}</td>
                <td className={`right num${c.stats.errors > 0 ? " text-critical" : ""}`}>{f.number(c.stats.errors)}</td>
                <td title={f.dateTime(c.stats.last_sync_at)}>
                  {c.stats.last_sync_at ? f.relative(c.stats.last_sync_at, now) : <span className="muted">{t("common.never")}</span>}
                </td>
                <td className="right">
                  <button
                    type="button"
                    className="btn btn-secondary btn-sm"
                    {...inRow(() => void runTest(c))}
                    disabled={test?.pending === true}
                    data-testid={`btn-test-${c.id}`}
                  >
                    {test?.pending ? t("connections.testing") : t("connections.test")}
                  </button>
                </td>
              </OpenableRow>
              {test && !test.pending ? (
                <tr className="row-detail">
                  <td colSpan={9}>
                    {"outcome" in test ? <TestResult outcome={test.outcome} /> : <ErrorBox error={test.error} />}
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );

  return (
    <div className="screen">
      <ControlPanel crumbs={crumbs} primary={newButton} search={connections.data?.length ? search : undefined} />
      <div className="content">
        <ListStates query={connections} empty={nothingYet} noMatch={rows.length === 0 && t("connections.noMatch", { query })}>
          {table}
        </ListStates>
      </div>
    </div>
  );
}
