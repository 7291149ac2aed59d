// Hacienda's answers: every answer stored for a document (list with filters and pages), and one
// answer in full (#/responses/<id>) with its error codes, the decoded MensajeHacienda and the raw
// JSON.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ResponseFilter, ResponseRow } from "../../api/types";
import { ControlPanel } from "../../components/ControlPanel";
import { EmptyState } from "../../components/EmptyState";
import { FilterSelect } from "../../components/FilterSelect";
import { ListStates } from "../../components/ListStates";
import { OpenableRow } from "../../components/RecordTable";
import { navigate } from "../../lib/router";
import { useFormat } from "../../lib/useFormat";
import { useNow } from "../../lib/useNow";
import { RESPONSE_STATES, DocumentCells, MessageTypeBadge, ResponseStateBadge, useResponseLabels } from "./labels";
import { ResponseForm } from "./ResponseForm";
import { useResponses } from "./queries";
import "./responses.css";

export const RESPONSE_PAGE = 50;

const NO_FILTER: ResponseFilter = {
  state: null,
  from: null,
  to: null,
  message_type: null,
  error_code: null,
  einvoice_id: null,
  offset: 0,
  limit: RESPONSE_PAGE,
};

// The list keeps its filters and page while an answer is open, like the other lists.
let remembered: ResponseFilter = NO_FILTER;

/** For tests: forget the remembered filters. */
export function resetResponseFiltersForTests() {
  remembered = NO_FILTER;
}

export function ResponsesSection({ sub }: { sub: string | undefined }) {
  return sub ? <ResponseForm key={sub} idParam={sub} /> : <ResponsesList />;
}

function ResponsesList() {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const l = useResponseLabels();
  const [filter, setFilterState] = useState<ResponseFilter>(remembered);
  const [code, setCode] = useState(filter.error_code ?? "");
  const setFilter = (patch: Partial<ResponseFilter>) =>
    setFilterState((fl) => {
      // A new filter starts again on the first page.
      const next = { ...fl, offset: 0, ...patch };
      remembered = next;
      return next;
    });

  // Wait for a pause in typing before asking the backend.
  useEffect(() => {
    const id = window.setTimeout(() => {
      const v = code.trim() || null;
      if (v !== filter.error_code) setFilter({ error_code: v });
    }, 250);
    return () => window.clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [code]);

  const list = useResponses(filter);
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  const filtered = filter.state != null || filter.from != null || filter.to != null || filter.message_type != null || filter.error_code != null;
  const first = total === 0 ? 0 : filter.offset + 1;
  const last = Math.min(filter.offset + rows.length, total);

  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t("queues.responses.title") }]} />
      <div className="content responses">
        <div className="filters" data-testid="responses-filters">
          <FilterSelect
            label={t("queues.responses.filterState")}
            value={filter.state}
            onChange={(v) => setFilter({ state: v || null })}
            allLabel={t("queues.responses.allStates")}
            options={RESPONSE_STATES.map((s) => ({ value: s, label: l.state(s) }))}
            testId="responses-filter-state"
          />
          <label>
            <span>{t("queues.responses.filterFrom")}</span>
            <input type="date" value={filter.from ?? ""} max={filter.to ?? undefined} onChange={(e) => setFilter({ from: e.target.value || null })} data-testid="responses-filter-from" />
          </label>
          <label>
            <span>{t("queues.responses.filterTo")}</span>
            <input type="date" value={filter.to ?? ""} min={filter.from ?? undefined} onChange={(e) => setFilter({ to: e.target.value || null })} data-testid="responses-filter-to" />
          </label>
          <FilterSelect
            label={t("queues.responses.filterMessageType")}
            value={filter.message_type}
            onChange={(v) => setFilter({ message_type: v ? Number(v) : null })}
            allLabel={t("queues.responses.allMessageTypes")}
            options={[1, 2, 3].map((n) => ({ value: n, label: l.messageType(n) }))}
            testId="responses-filter-message-type"
          />
          <label>
            <span>{t("queues.responses.filterErrorCode")}</span>
            <input
              type="search"
              className="code-filter mono"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              placeholder={t("queues.responses.errorCodePlaceholder")}
              data-testid="responses-filter-error-code"
            />
          </label>
          {filtered ? (
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              onClick={() => {
                setCode("");
                setFilter(NO_FILTER);
              }}
              data-testid="responses-clear-filters"
            >
              {t("queues.responses.clearFilters")}
            </button>
          ) : null}
        </div>

        <ListStates
          query={list}
          empty={
            total === 0 && !filtered ? (
              <EmptyState icon="responses" title={t("queues.responses.emptyTitle")} body={t("queues.responses.emptyBody")} />
            ) : null
          }
          noMatch={total === 0 && filtered ? t("queues.responses.noMatch") : false}
        >
          <table className="table table-compact table-click responses-table" data-testid="responses-table">
            <thead>
              <tr>
                <th>{t("queues.responses.colReceived")}</th>
                <th>{t("queues.responses.colDocument")}</th>
                <th>{t("queues.responses.colReceiver")}</th>
                <th>{t("queues.responses.colState")}</th>
                <th>{t("queues.responses.colMessageType")}</th>
                <th>{t("queues.responses.colDetail")}</th>
                <th>{t("queues.responses.colErrorCodes")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <ResponseLine key={r.id} row={r} now={now} f={f} />
              ))}
            </tbody>
          </table>
          <div className="pager" data-testid="responses-pager">
            <span className="muted small">{t("queues.responses.showing", { first: f.number(first), last: f.number(last), total: f.number(total) })}</span>
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              disabled={filter.offset === 0 || list.isFetching}
              onClick={() => setFilter({ offset: Math.max(0, filter.offset - filter.limit) })}
              data-testid="responses-prev"
            >
              {t("queues.responses.prev")}
            </button>
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              disabled={filter.offset + rows.length >= total || list.isFetching}
              onClick={() => setFilter({ offset: filter.offset + filter.limit })}
              data-testid="responses-next"
            >
              {t("queues.responses.next")}
            </button>
          </div>
        </ListStates>
      </div>
    </div>
  );
}

function ResponseLine({ row: r, now, f }: { row: ResponseRow; now: number; f: ReturnType<typeof useFormat> }) {
  return (
    <OpenableRow onOpen={() => navigate(`/responses/${r.id}`)} data-testid={`response-row-${r.id}`} data-state={r.state}>
      <td className="num nowrap" title={`${f.dateTime(r.received_at, true)} (${f.relative(r.received_at, now)})`}>
        {f.shortDateTime(r.received_at)}
      </td>
      <DocumentCells row={r} />
      <td>
        <ResponseStateBadge state={r.state} />
      </td>
      <td>
        <MessageTypeBadge type={r.message_type} />
      </td>
      <td className="fill detail-cell" title={r.detail ?? undefined}>
        <div className="ellipsis">{r.detail}</div>
      </td>
      <td className="codes-cell">
        {r.error_codes.length > 0 ? (
          <span className="code-chips" title={r.error_codes.map((c) => `${c.code} — ${c.message}`).join("\n")}>
            {r.error_codes.slice(0, 3).map((c, i) => (
              <code key={`${c.code}-${i}`} className="code-chip">
                {c.code}
              </code>
            ))}
            {r.error_codes.length > 3 ? <span className="muted small">+{r.error_codes.length - 3}</span> : null}
          </span>
        ) : null}
      </td>
    </OpenableRow>
  );
}
