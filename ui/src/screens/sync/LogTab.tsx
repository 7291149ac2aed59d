import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useConnections, useLog } from "../../api/queries";
import type { LogFilter } from "../../api/types";
import { Badge, ErrorCategoryBadge, type Tone } from "../../components/Badge";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { useFormat } from "../../lib/useFormat";

const PAGE = 200;

function statusTone(status: number | null): Tone {
  if (status == null) return "muted";
  if (status >= 500) return "critical";
  if (status >= 400) return "warning";
  if (status >= 300) return "info";
  return "ok";
}

export function LogTab({ initialConnection = null }: { initialConnection?: number | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const connections = useConnections();
  const [connectionId, setConnectionId] = useState<number | null>(initialConnection);
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [search, setSearch] = useState("");
  const [endpoint, setEndpoint] = useState("");
  const [limit, setLimit] = useState(PAGE);

  // Wait for a pause in typing before asking the backend.
  useEffect(() => {
    const id = window.setTimeout(() => setEndpoint(search.trim()), 250);
    return () => window.clearTimeout(id);
  }, [search]);

  const filter: LogFilter = {
    connection_id: connectionId,
    only_errors: onlyErrors,
    endpoint_contains: endpoint || null,
    limit,
  };
  const log = useLog(filter);
  const names = new Map(connections.data?.map((c) => [c.id, c.name]));
  const filtered = connectionId != null || onlyErrors || endpoint !== "";

  return (
    <>
      <div className="filters">
        <label>
          <span>{t("log.colConnection")}</span>
          <select
            value={connectionId ?? ""}
            onChange={(e) => setConnectionId(e.target.value ? Number(e.target.value) : null)}
            data-testid="log-filter-connection"
          >
            <option value="">{t("log.allConnections")}</option>
            {connections.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={onlyErrors} onChange={(e) => setOnlyErrors(e.target.checked)} data-testid="log-only-errors" />
          <span>{t("log.onlyErrors")}</span>
        </label>
        <div className="cp-search">
          <Icon name="search" />
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder={t("log.endpointSearch")}
            aria-label={t("log.endpointSearch")}
            data-testid="log-search"
          />
        </div>
      </div>

      {log.isError ? <ErrorBox error={log.error} onRetry={() => void log.refetch()} /> : null}
      {log.isPending ? <p className="muted">{t("common.loading")}</p> : null}
      {log.data && log.data.length === 0 ? (
        filtered ? (
          <p className="muted">{t("log.emptyFiltered")}</p>
        ) : (
          <EmptyState icon="responses" title={t("log.emptyTitle")} body={t("log.emptyBody")} />
        )
      ) : null}
      {log.data && log.data.length > 0 ? (
        <>
          <p className="muted small">{t("log.showing", { n: f.number(log.data.length) })}</p>
          <table className="table table-compact table-log">
            <thead>
              <tr>
                <th>{t("log.colAt")}</th>
                <th>{t("log.colConnection")}</th>
                <th>{t("log.colMethod")}</th>
                <th>
                  {t("log.colEndpoint")} <span className="muted">/ {t("log.colParams")}</span>
                </th>
                <th className="right">{t("log.colStatus")}</th>
                <th className="right">{t("log.colDuration")}</th>
                <th className="right">{t("log.colBytes")}</th>
                <th>{t("log.colError")}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((e) => (
                <tr key={e.id} data-testid={`log-row-${e.id}`} className={e.error_category ? "row-error" : undefined}>
                  <td className="num nowrap" title={f.dateTime(e.at, true)}>
                    {f.shortDateTime(e.at, true)}
                  </td>
                  <td className="nowrap">{names.get(e.connection_id) ?? `#${e.connection_id}`}</td>
                  <td className="mono">{e.method}</td>
                  <td className="mono endpoint-cell fill" title={e.params ? `${e.endpoint}\n${e.params}` : e.endpoint}>
                    <div className="ellipsis">{e.endpoint}</div>
                    {e.params ? <div className="ellipsis muted small">{e.params}</div> : null}
                  </td>
                  <td className="right">
                    {e.status != null ? (
                      <Badge tone={statusTone(e.status)}>{e.status}</Badge>
                    ) : (
                      <span className="muted small">{t("log.noStatus")}</span>
                    )}
                  </td>
                  <td className="right num nowrap">{t("units.ms", { n: f.number(e.duration_ms) })}</td>
                  <td className="right num nowrap">{f.bytes(e.bytes)}</td>
                  <td className="error-cell fill" title={e.error ?? undefined}>
                    {e.error_category || e.error ? (
                      <span className="stack-h">
                        {e.error_category ? <ErrorCategoryBadge category={e.error_category} /> : null}
                        <span className="ellipsis">{e.error}</span>
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {log.data.length >= limit ? (
            <button type="button" className="btn btn-secondary load-more" onClick={() => setLimit((l) => l + PAGE)}>
              {t("common.loadMore")}
            </button>
          ) : null}
        </>
      ) : null}
    </>
  );
}
