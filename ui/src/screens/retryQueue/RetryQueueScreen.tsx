// The retry queue: documents whose signing, sending or status check failed and will be tried
// again. A list or a kanban (a column per state, read-only: cards open their document or act
// through their buttons), filtered by error category and operation; "Retry now" makes a waiting
// or failed entry due at once, "Cancel" drops a waiting one.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ErrorCategory, RetryFilter, RetryOperation, RetryRow, RetryState } from "../../api/types";
import { ErrorCategoryBadge } from "../../components/Badge";
import { ControlPanel } from "../../components/ControlPanel";
import { ConfirmDialog } from "../../components/Dialog";
import { EmptyState } from "../../components/EmptyState";
import { VIEW_ICONS, ViewButtons } from "../../components/FacetSearch";
import { FilterSelect } from "../../components/FilterSelect";
import { ErrorBox, asApiError } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { KanbanBoard, KanbanCard, KanbanColumn } from "../../components/KanbanBoard";
import { ListStates } from "../../components/ListStates";
import { OpenableRow, inRow } from "../../components/RecordTable";
import { useToast } from "../../components/Toast";
import { href, navigate, useRoute } from "../../lib/router";
import { useFormat } from "../../lib/useFormat";
import { useNow } from "../../lib/useNow";
import { RETRY_OPERATIONS, RETRY_STATES, DocumentCells, RetryStateBadge, docNumber } from "../responses/labels";
import { useRetryAction, useRetryQueue } from "./queries";
import "../permits/permits.css";
import "../responses/responses.css";
import "./retryQueue.css";

export const CATEGORIES: ErrorCategory[] = ["transient", "rate_limit", "network", "server", "auth", "validation", "unknown"];
const LIST_PAGE = 200;
const COLUMN_PAGE = 50;

const VIEWS = ["list", "kanban"] as const;
type View = (typeof VIEWS)[number];
type Params = { view: View; category: ErrorCategory | null; operation: RetryOperation | null; state: RetryState | null };

function readParams(query: string): Params {
  const p = new URLSearchParams(query);
  const category = p.get("category");
  const operation = p.get("operation");
  const state = p.get("state");
  return {
    view: p.get("v") === "kanban" ? "kanban" : "list",
    category: CATEGORIES.includes(category as ErrorCategory) ? (category as ErrorCategory) : null,
    operation: RETRY_OPERATIONS.includes(operation as RetryOperation) ? (operation as RetryOperation) : null,
    state: RETRY_STATES.includes(state as RetryState) ? (state as RetryState) : null,
  };
}

function writeParams(p: Params): string {
  const q = new URLSearchParams();
  if (p.view === "kanban") q.set("v", "kanban");
  if (p.category) q.set("category", p.category);
  if (p.operation) q.set("operation", p.operation);
  if (p.state && p.view === "list") q.set("state", p.state);
  const s = q.toString();
  return s ? `/retry-queue?${s}` : "/retry-queue";
}

/** "2 / 5": attempts made of those allowed. */
export function attemptsText(row: RetryRow, num: (n: number) => string = String) {
  return `${num(row.attempts)} / ${num(row.max_attempts)}`;
}

/** Done or cancelled: its last error is history, not a problem now. */
function isSettled(row: RetryRow) {
  return row.state === "done" || row.state === "cancelled";
}

export function canRetryNow(row: RetryRow) {
  return row.state === "pending" || row.state === "failed";
}

export function canCancel(row: RetryRow) {
  return row.state === "pending";
}

export function RetryQueueScreen() {
  const { t } = useTranslation();
  const route = useRoute();
  const params = readParams(route.query);
  const update = (patch: Partial<Params>) => navigate(writeParams({ ...params, ...patch }), { replace: true });
  const actions = useRetryActions();

  const switcher = (
    <ViewButtons
      views={VIEWS}
      icons={VIEW_ICONS}
      current={params.view}
      onChoose={(v) => update({ view: v })}
      viewLabel={(v) => t(`queues.retry.view.${v}`)}
      groupLabel={t("queues.retry.viewSwitcher")}
    />
  );

  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t("queues.retry.title") }]} extra={switcher} />
      <div className={`content retry-queue${params.view === "kanban" ? " retry-kanban-content" : ""}`}>
        <div className="filters">
          <FilterSelect
            label={t("queues.retry.filterCategory")}
            value={params.category}
            onChange={(v) => update({ category: (v || null) as ErrorCategory | null })}
            allLabel={t("queues.retry.allCategories")}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`errorCategory.${c}`) }))}
            testId="retry-filter-category"
          />
          <FilterSelect
            label={t("queues.retry.filterOperation")}
            value={params.operation}
            onChange={(v) => update({ operation: (v || null) as RetryOperation | null })}
            allLabel={t("queues.retry.allOperations")}
            options={RETRY_OPERATIONS.map((o) => ({ value: o, label: t(`queues.operation.${o}`) }))}
            testId="retry-filter-operation"
          />
          {params.view === "list" ? <StateFilter params={params} update={update} /> : null}
        </div>
        {params.view === "list" ? <RetryList params={params} actions={actions} /> : <RetryKanban params={params} actions={actions} />}
      </div>
      {actions.dialog}
    </div>
  );
}

function StateFilter({ params, update }: { params: Params; update: (p: Partial<Params>) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  // Counts per state over the category and operation filter (the backend lists every state).
  const counts = useRetryQueue({ state: [], category: params.category, operation: params.operation, limit: 1 });
  const n = (s: RetryState) => counts.data?.counts.find((c) => c.state === s)?.count;
  return (
    <FilterSelect
      label={t("queues.retry.filterState")}
      value={params.state}
      onChange={(v) => update({ state: (v || null) as RetryState | null })}
      allLabel={t("queues.retry.allStates")}
      options={RETRY_STATES.map((s) => ({ value: s, label: n(s) != null ? `${t(`queues.retryState.${s}`)} (${f.number(n(s))})` : t(`queues.retryState.${s}`) }))}
      testId="retry-filter-state"
    />
  );
}

// ---- actions -------------------------------------------------------------------------------------

type Actions = ReturnType<typeof useRetryActions>;

function useRetryActions() {
  const { t } = useTranslation();
  const toast = useToast();
  const action = useRetryAction();
  const [confirming, setConfirming] = useState<RetryRow | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);

  const run = async (row: RetryRow, kind: "retry" | "cancel") => {
    const number = docNumber(row.consecutivo, row.einvoice_id);
    setBusyId(row.id);
    try {
      await action.mutateAsync({ id: row.id, action: kind });
      toast.show(kind === "retry" ? t("queues.retry.retriedToast", { number }) : t("queues.retry.cancelledToast", { number }));
    } catch (e) {
      toast.show(
        t(kind === "retry" ? "queues.retry.retryFailed" : "queues.retry.cancelFailed", { number, reason: asApiError(e).message }),
        "critical",
      );
    } finally {
      setBusyId(null);
    }
  };

  const dialog = confirming ? (
    <ConfirmDialog
      title={t("queues.retry.cancelTitle")}
      body={t("queues.retry.cancelBody", {
        number: docNumber(confirming.consecutivo, confirming.einvoice_id),
        operation: t(`queues.operation.${confirming.operation}`),
      })}
      confirmLabel={t("queues.retry.cancelConfirm")}
      cancelLabel={t("queues.retry.cancelKeep")}
      danger
      busy={busyId === confirming.id}
      onCancel={() => setConfirming(null)}
      onConfirm={() => {
        const row = confirming;
        setConfirming(null);
        void run(row, "cancel");
      }}
      testId="confirm-cancel-retry"
    />
  ) : null;

  return {
    dialog,
    busyId,
    retryNow: (row: RetryRow) => void run(row, "retry"),
    askCancel: (row: RetryRow) => setConfirming(row),
  };
}

/** Retry now and Cancel; `iconOnly` in the list, where the row has little room left. */
function ActionButtons({ row, actions, iconOnly = false }: { row: RetryRow; actions: Actions; iconOnly?: boolean }) {
  const { t } = useTranslation();
  const busy = actions.busyId === row.id;
  if (!canRetryNow(row) && !canCancel(row)) return null;
  return (
    <span className="retry-actions">
      {canRetryNow(row) ? (
        <button
          type="button"
          className="btn btn-secondary btn-sm btn-xs"
          disabled={busy}
          {...inRow(() => actions.retryNow(row))}
          title={iconOnly ? t("queues.retry.retryNow") : undefined}
          aria-label={iconOnly ? t("queues.retry.retryNow") : undefined}
          data-testid={`btn-retry-now-${row.id}`}
        >
          <Icon name="retry" size={iconOnly ? 14 : 12} />
          {iconOnly ? null : t("queues.retry.retryNow")}
        </button>
      ) : null}
      {canCancel(row) ? (
        <button
          type="button"
          className="btn btn-secondary btn-sm btn-xs"
          disabled={busy}
          {...inRow(() => actions.askCancel(row))}
          title={iconOnly ? t("queues.retry.cancel") : undefined}
          aria-label={iconOnly ? t("queues.retry.cancel") : undefined}
          data-testid={`btn-cancel-retry-${row.id}`}
        >
          <Icon name="x" size={iconOnly ? 14 : 12} />
          {iconOnly ? null : t("queues.retry.cancel")}
        </button>
      ) : null}
    </span>
  );
}

/** When the entry is tried next, in words. */
function useNextAttempt() {
  const { t } = useTranslation();
  const f = useFormat();
  return (row: RetryRow, now: number) => {
    if (row.state === "processing") return t("queues.retry.runningNow");
    if (row.state !== "pending") return t("common.notAvailable");
    return Date.parse(row.next_retry_at) <= now ? t("queues.retry.dueNow") : f.relative(row.next_retry_at, now);
  };
}

// ---- list -----------------------------------------------------------------------------------------

function RetryList({ params, actions }: { params: Params; actions: Actions }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(15_000);
  const next = useNextAttempt();
  const [limit, setLimit] = useState(LIST_PAGE);
  const filter: RetryFilter = { state: params.state ? [params.state] : [], category: params.category, operation: params.operation, limit };
  const list = useRetryQueue(filter);
  const rows = list.data?.rows ?? [];
  const filtered = params.state != null || params.category != null || params.operation != null;
  const total = list.data?.counts.reduce((s, c) => s + (params.state == null || c.state === params.state ? c.count : 0), 0) ?? 0;

  return (
    <ListStates
      query={list}
      empty={rows.length === 0 && !filtered ? <EmptyState icon="retry" title={t("queues.retry.emptyTitle")} body={t("queues.retry.emptyBody")} /> : null}
      noMatch={rows.length === 0 && filtered ? t("queues.retry.noMatch") : false}
    >
      <table className="table table-compact table-click retry-table" data-testid="retry-table">
        <thead>
          <tr>
            <th>{t("queues.retry.colDocument")}</th>
            <th>{t("queues.retry.colReceiver")}</th>
            <th>{t("queues.retry.colOperation")}</th>
            <th>{t("queues.retry.colCategory")}</th>
            <th>{t("queues.retry.colState")}</th>
            <th className="right">{t("queues.retry.colAttempts")}</th>
            <th>{t("queues.retry.colNext")}</th>
            <th>{t("queues.retry.colLastError")}</th>
            <th>
              <span className="sr-only">{t("common.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <OpenableRow key={r.id} onOpen={() => navigate(`/einvoices/${r.einvoice_id}`)} data-testid={`retry-row-${r.id}`} data-state={r.state}>
              <DocumentCells row={r} />
              <td className="nowrap">{t(`queues.operation.${r.operation}`)}</td>
              <td>
                <ErrorCategoryBadge category={r.category} />
              </td>
              <td>
                <RetryStateBadge state={r.state} />
              </td>
              <td className="right num nowrap" data-testid={`retry-attempts-${r.id}`}>
                {attemptsText(r, f.number)}
              </td>
              <td className="nowrap" title={r.state === "pending" ? f.dateTime(r.next_retry_at, true) : undefined}>
                {next(r, now)}
              </td>
              <td className={`fill error-cell${isSettled(r) ? " settled" : ""}`} title={r.last_error ?? undefined}>
                <div className="ellipsis">{r.last_error}</div>
              </td>
              <td className="right nowrap">
                <ActionButtons row={r} actions={actions} iconOnly />
              </td>
            </OpenableRow>
          ))}
        </tbody>
      </table>
      {rows.length >= limit && rows.length < total ? (
        <button type="button" className="btn btn-secondary load-more" onClick={() => setLimit((l) => l + LIST_PAGE)}>
          {t("common.loadMore")}
        </button>
      ) : null}
    </ListStates>
  );
}

// ---- kanban ---------------------------------------------------------------------------------------

function RetryKanban({ params, actions }: { params: Params; actions: Actions }) {
  const { t } = useTranslation();
  return (
    <div className="kanban-view">
      <div className="kanban-toolbar">
        <span className="muted small kanban-hint">
          <Icon name="info" size={14} />
          {t("queues.retry.kanbanHint")}
        </span>
      </div>
      <KanbanBoard dragEnabled={false} onDrop={() => undefined} testId="retry-kanban">
        {RETRY_STATES.map((s) => (
          <RetryColumn key={s} state={s} params={params} actions={actions} />
        ))}
      </KanbanBoard>
    </div>
  );
}

function RetryColumn({ state, params, actions }: { state: RetryState; params: Params; actions: Actions }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(15_000);
  const next = useNextAttempt();
  const [limit, setLimit] = useState(COLUMN_PAGE);
  const cards = useRetryQueue({ state: [state], category: params.category, operation: params.operation, limit });
  const rows = cards.data?.rows ?? [];
  const count = cards.data?.counts.find((c) => c.state === state)?.count ?? 0;
  const title = t(`queues.retryState.${state}`);
  const byCategory = CATEGORIES.map((c) => [c, rows.filter((r) => r.category === c).length] as const).filter(([, n]) => n > 0);

  return (
    <KanbanColumn id={state} label={title} testId={`retry-col-${state}`} className={`retry-col col-${state}`}>
      <header className="kanban-head">
        <div className="kanban-title">
          <span className={`retry-dot dot-${state}`} aria-hidden="true" />
          <h2>{title}</h2>
          <span className="kanban-count" data-testid={`retry-count-${state}`} data-count={count}>
            {f.number(count)}
          </span>
        </div>
        <div className="kanban-bar" role="img" aria-label={t("queues.retry.barLabel", { parts: byCategory.map(([c, n]) => `${t(`errorCategory.${c}`)}: ${n}`).join(", ") || "0" })}>
          {byCategory.length === 0 ? <span className={`kanban-bar-empty${count > 0 ? ` bar-${state}` : ""}`} /> : null}
          {byCategory.map(([c, n]) => (
            <span key={c} className={`kanban-seg cat-${c}`} style={{ flexGrow: n }} title={`${t(`errorCategory.${c}`)}: ${f.number(n)}`} />
          ))}
        </div>
      </header>
      <div className="kanban-cards">
        {cards.isError ? <ErrorBox error={cards.error} onRetry={() => void cards.refetch()} /> : null}
        {cards.isPending ? <p className="muted small">{t("common.loading")}</p> : null}
        {!cards.isPending && rows.length === 0 ? <p className="muted small kanban-empty">{t("queues.retry.columnEmpty")}</p> : null}
        {rows.map((r) => {
          const number = docNumber(r.consecutivo, r.einvoice_id);
          return (
            <KanbanCard
              key={r.id}
              id={r.id}
              column={state}
              onOpen={() => navigate(`/einvoices/${r.einvoice_id}`)}
              testId={`retry-card-${r.id}`}
              label={t("queues.retry.cardLabel", { number, operation: t(`queues.operation.${r.operation}`) })}
            >
              <div className="retry-card" data-testid={`retry-row-${r.id}`} data-state={r.state}>
                <a href={href(`/einvoices/${r.einvoice_id}`)} className="mono strong ellipsis" {...inRow()} title={r.clave ?? undefined}>
                  {number}
                </a>
                {r.receiver_name ? <div className="card-applicant">{r.receiver_name}</div> : null}
                <div className="card-line small">
                  <span className="stack-h">
                    <span className="muted">{t(`queues.operation.${r.operation}`)}</span>
                    <ErrorCategoryBadge category={r.category} />
                  </span>
                  <span className="num muted" title={t("queues.retry.colAttempts")}>
                    {attemptsText(r, f.number)}
                  </span>
                </div>
                {r.state === "pending" || r.state === "processing" ? (
                  <div className="muted small" title={f.dateTime(r.next_retry_at, true)}>
                    <Icon name="clock" size={12} /> {next(r, now)}
                  </div>
                ) : null}
                {r.last_error ? (
                  <div className={`retry-error small${isSettled(r) ? " settled" : ""}`} title={r.last_error}>
                    {r.last_error}
                  </div>
                ) : null}
                <ActionButtons row={r} actions={actions} />
              </div>
            </KanbanCard>
          );
        })}
        {rows.length >= limit && rows.length < count ? (
          <button type="button" className="btn btn-secondary btn-sm load-more" onClick={() => setLimit((l) => l + COLUMN_PAGE)}>
            {t("queues.retry.loadMoreOf", { shown: f.number(rows.length), total: f.number(count) })}
          </button>
        ) : null}
      </div>
    </KanbanColumn>
  );
}
