// The kanban view: a column per status (or expiry status) with its count and a colour bar of the
// expiry statuses inside it, cards loaded 50 at a time, drag to change the status (undone when
// the backend refuses) and quick create at the top of a column.
import { useMemo, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { call } from "../../api/client";
import { permitKeys, useCreatePermit, usePermitCards, usePermitPivot, usePermitTypes } from "../../api/queries";
import type { ExpiryStatus, NewPermit, PermitFilter, PermitRow, PermitSort, PermitStatus, PivotQuery } from "../../api/types";
import { ErrorBox, asApiError } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { KanbanBoard, KanbanColumn, type KanbanDrop } from "../../components/KanbanBoard";
import { KanbanCards, KanbanColumnHead, KanbanSegmentBar } from "../../components/KanbanParts";
import { useToast } from "../../components/Toast";
import { columnSummary, dropDecision, optimisticMove, type BoardCache } from "../../lib/kanban";
import { EXPIRY_STATUSES, PERMIT_STATUSES, groupBy, toFilter, type KanbanField, type SearchState } from "../../lib/permitSearch";
import { useFormat } from "../../lib/useFormat";
import { ExpiryBadge } from "./PermitBadges";
import { usePermitLabels } from "./labels";
import type { SearchUpdate } from "./SearchPanel";

const CARD_SORT: PermitSort = { field: "expiry_date", descending: false };

function columnFilter(filter: PermitFilter, by: KanbanField, key: string, segment: ExpiryStatus | null): PermitFilter {
  return {
    ...filter,
    expiry_status: segment ? [segment] : filter.expiry_status,
    groups: [...filter.groups, { group_by: groupBy(by), key }],
  };
}

export function KanbanView({ state, update, open }: { state: SearchState; update: SearchUpdate; open: (row: PermitRow) => void }) {
  const { t } = useTranslation();
  const l = usePermitLabels();
  const toast = useToast();
  const qc = useQueryClient();
  const filter = useMemo(() => toFilter(state), [state]);
  const by = state.kanbanBy;
  const summaryQuery: PivotQuery = useMemo(() => ({ filter, rows: [groupBy(by)], cols: [groupBy("expiry_status")] }), [filter, by]);
  const summary = usePermitPivot(summaryQuery);
  const [segments, setSegments] = useState<Record<string, ExpiryStatus | null>>({});
  const [creating, setCreating] = useState<string | null>(null);
  const cardsById = useRef(new Map<string, { row: PermitRow; column: string }>());

  const columns: string[] = by === "status" ? [...PERMIT_STATUSES] : [...EXPIRY_STATUSES];
  const dragEnabled = by === "status";
  const keyOf = (column: string) => permitKeys.cards(columnFilter(filter, by, column, segments[column] ?? null), CARD_SORT);

  const cache: BoardCache = {
    get: (key) => qc.getQueryData(key as readonly unknown[]),
    set: (key, value) => qc.setQueryData(key as readonly unknown[], value),
  };

  const onDrop = async ({ cardId, from, to }: KanbanDrop) => {
    const decision = dropDecision(by, from, to);
    if (decision.kind === "none") return;
    if (decision.kind === "refused") {
      toast.show(t("permits.kanbanComputed"), "info");
      return;
    }
    const card = cardsById.current.get(String(cardId))?.row;
    if (!card || to == null) return;
    const keys = { from: keyOf(from), to: keyOf(to), summary: permitKeys.pivot(summaryQuery) };
    await Promise.all([qc.cancelQueries({ queryKey: keys.from }), qc.cancelQueries({ queryKey: keys.to }), qc.cancelQueries({ queryKey: keys.summary })]);
    const undo = optimisticMove(cache, keys, card, from, to, decision.status);
    try {
      await call("set_permit_status", { id: card.id, status: decision.status });
      toast.show(t("permits.movedTo", { permit: card.permit_number ?? card.registration_id, status: l.status(decision.status) }));
    } catch (e) {
      undo();
      toast.show(t("permits.moveFailed", { permit: card.permit_number ?? card.registration_id, reason: asApiError(e).message }), "critical");
    } finally {
      void qc.invalidateQueries({ queryKey: ["permits"] });
    }
  };

  const title = (column: string) => (by === "status" ? l.status(column as PermitStatus) : l.expiry(column as ExpiryStatus));

  return (
    <div className="kanban-view">
      <div className="kanban-toolbar">
        <label className="stack-h">
          <span className="muted">{t("permits.kanbanColumns")}</span>
          <select value={by} onChange={(e) => update({ ...state, kanbanBy: e.target.value as KanbanField })} data-testid="kanban-groupby">
            <option value="status">{l.field("status")}</option>
            <option value="expiry_status">{l.field("expiry_status")}</option>
          </select>
        </label>
        {!dragEnabled ? (
          <span className="muted small kanban-hint" title={t("permits.kanbanComputed")} data-testid="kanban-computed-hint">
            <Icon name="info" size={14} />
            {t("permits.kanbanNoDrag")}
          </span>
        ) : (
          <span className="muted small kanban-hint">{t("permits.kanbanDragHint")}</span>
        )}
      </div>
      {summary.isError ? <ErrorBox error={summary.error} onRetry={() => void summary.refetch()} /> : null}
      <KanbanBoard
        dragEnabled={dragEnabled}
        onDrop={(d) => void onDrop(d)}
        testId="kanban"
        instructions={t("permits.dndInstructions")}
        announcements={{
          onDragStart: ({ active }) => t("permits.dndPicked", { card: cardsById.current.get(String(active.id))?.row.permit_number ?? String(active.id) }),
          onDragOver: ({ over }) => (over ? t("permits.dndOver", { column: title(String(over.id)) }) : t("permits.dndNowhere")),
          onDragEnd: ({ over }) => (over ? t("permits.dndDropped", { column: title(String(over.id)) }) : t("permits.dndCancelled")),
          onDragCancel: () => t("permits.dndCancelled"),
        }}
        renderOverlay={(id) => {
          const c = cardsById.current.get(String(id));
          return c ? <CardBody row={c.row} /> : null;
        }}
      >
        {columns.map((column) => (
          <Column
            key={column}
            column={column}
            by={by}
            filter={filter}
            title={title(column)}
            summary={columnSummary(summary.data, column)}
            segment={segments[column] ?? null}
            onSegment={(seg) => setSegments((s) => ({ ...s, [column]: s[column] === seg ? null : seg }))}
            open={open}
            register={(row) => cardsById.current.set(String(row.id), { row, column })}
            creating={creating === column}
            setCreating={(on) => setCreating(on ? column : null)}
            canCreate={by === "status" || column === "unknown"}
          />
        ))}
      </KanbanBoard>
    </div>
  );
}

const SEGMENT_ORDER: ExpiryStatus[] = ["expired", "critical", "warning", "ok", "unknown"];

function Column({
  column,
  by,
  filter,
  title,
  summary,
  segment,
  onSegment,
  open,
  register,
  creating,
  setCreating,
  canCreate,
}: {
  column: string;
  by: KanbanField;
  filter: PermitFilter;
  title: string;
  summary: { count: number; segments: Map<string, number> };
  segment: ExpiryStatus | null;
  onSegment: (s: ExpiryStatus) => void;
  open: (row: PermitRow) => void;
  register: (row: PermitRow) => void;
  creating: boolean;
  setCreating: (on: boolean) => void;
  canCreate: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = usePermitLabels();
  const cards = usePermitCards(columnFilter(filter, by, column, segment), CARD_SORT);
  cards.data?.pages.forEach((p) => p.rows.forEach(register));
  const segs = SEGMENT_ORDER.filter((s) => (summary.segments.get(s) ?? 0) > 0);

  return (
    <KanbanColumn id={column} label={title} testId={`kanban-column-${column}`} className={`col-${column}`}>
      <KanbanColumnHead
        column={column}
        title={title}
        count={summary.count}
        action={
          canCreate ? (
            <button
              type="button"
              className="btn-icon kanban-add"
              onClick={() => setCreating(!creating)}
              aria-expanded={creating}
              aria-label={t("permits.quickCreateIn", { column: title })}
              title={t("permits.quickCreateIn", { column: title })}
              data-testid={`kanban-add-${column}`}
            >
              <Icon name="plus" size={16} />
            </button>
          ) : null
        }
      >
        <KanbanSegmentBar
          column={column}
          label={t("permits.kanbanBar")}
          empty={summary.count === 0}
          segments={segs.map((s) => {
            const n = summary.segments.get(s) ?? 0;
            return { key: s, n, label: t("permits.segment", { status: l.expiry(s), n: f.number(n) }), className: `seg-${s}` };
          })}
          active={segment}
          onSegment={(s) => onSegment(s as ExpiryStatus)}
        />
      </KanbanColumnHead>
      {creating ? <QuickCreate column={column} by={by} onClose={() => setCreating(false)} /> : null}
      <KanbanCards
        column={column}
        cards={cards}
        onOpen={open}
        cardLabel={(row) => t("permits.cardLabel", { number: row.permit_number ?? row.registration_id, applicant: row.applicant })}
        cardTitle={by === "expiry_status" ? t("permits.kanbanComputed") : undefined}
        renderCard={(row) => <CardBody row={row} />}
        loadMoreText={(shown, total) => t("permits.loadMoreOf", { shown, total })}
      />
    </KanbanColumn>
  );
}

function CardBody({ row }: { row: PermitRow }) {
  const { t } = useTranslation();
  const l = usePermitLabels();
  return (
    <>
      <div className="card-line">
        <strong className="mono">{row.permit_number ?? row.registration_id}</strong>
        <ExpiryBadge status={row.expiry_status} daysLeft={row.days_left} days="none" />
      </div>
      <div className="card-applicant">{row.applicant}</div>
      <div className="card-type muted small">{row.permit_type_name}</div>
      <div className="card-line muted small">
        <span>{row.expiry_date ? t("permits.expiresOn", { date: l.date(row.expiry_date) }) : t("permits.noExpiry")}</span>
        {row.renewal_in_progress ? (
          <span className="badge badge-info" title={t("permits.field.renewal_in_progress")}>
            {t("permits.renewing")}
          </span>
        ) : null}
      </div>
    </>
  );
}

function QuickCreate({ column, by, onClose }: { column: string; by: KanbanField; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const create = useCreatePermit();
  const types = usePermitTypes();
  const [applicant, setApplicant] = useState("");
  const [type, setType] = useState("");
  const [number, setNumber] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const first = useRef<HTMLInputElement>(null);
  const listId = `qc-types-${column}`;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!applicant.trim()) local.applicant = t("permits.v.applicantRequired");
    if (!type.trim()) local.permit_type_name = t("permits.v.typeRequired");
    setErrors(local);
    if (Object.keys(local).length) return;
    const input: NewPermit = {
      applicant: applicant.trim(),
      permit_type_name: type.trim(),
      permit_number: number.trim() || null,
      status: by === "status" ? (column as PermitStatus) : "draft",
      expiry_date: null,
    };
    try {
      const row = await create.mutateAsync(input);
      toast.show(t("permits.created", { permit: row.permit_number ?? row.registration_id }));
      setApplicant("");
      setNumber("");
      first.current?.focus();
    } catch (err) {
      const api = asApiError(err);
      if (api.fields.length) setErrors(Object.fromEntries(api.fields.map((fe) => [fe.field, fe.message])));
      else toast.show(api.message, "critical");
    }
  };

  const err = (name: string) =>
    errors[name] ? (
      <p className="field-error" data-testid={`error-${name}`}>
        {errors[name]}
      </p>
    ) : null;

  return (
    <form
      className="quick-create"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
      data-testid={`quick-create-${column}`}
      noValidate
    >
      <input ref={first} autoFocus type="text" value={applicant} onChange={(e) => setApplicant(e.target.value)} placeholder={t("permits.field.applicant")} aria-label={t("permits.field.applicant")} data-testid="qc-applicant" aria-invalid={errors.applicant ? true : undefined} />
      {err("applicant")}
      <input type="text" list={listId} value={type} onChange={(e) => setType(e.target.value)} placeholder={t("permits.field.permit_type")} aria-label={t("permits.field.permit_type")} data-testid="qc-type" aria-invalid={errors.permit_type_name ? true : undefined} />
      <datalist id={listId}>
        {[...new Set((types.data ?? []).map((x) => x.name))].map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {err("permit_type_name")}
      <input type="text" value={number} onChange={(e) => setNumber(e.target.value)} placeholder={t("permits.field.permit_number")} aria-label={t("permits.field.permit_number")} data-testid="qc-number" />
      {err("permit_number")}
      <div className="stack-h">
        <button type="submit" className="btn btn-primary btn-sm" disabled={create.isPending} data-testid="qc-add">
          {t("permits.add")}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={onClose}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
