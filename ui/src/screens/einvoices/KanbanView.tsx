// The kanban view: a column per document state, in the order a document lives them, with its
// count, summed total and a colour bar of the document types inside it. A state changes only
// through signing, sending and Hacienda's answer: a card dropped on another column goes back,
// and a message says why.
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DocumentState, EinvoiceFilter, EinvoicePivotResult, EinvoiceRow, EinvoiceSort } from "../../api/types";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { KanbanBoard, KanbanColumn, type KanbanDrop } from "../../components/KanbanBoard";
import { KanbanCards, KanbanColumnHead, KanbanSegmentBar } from "../../components/KanbanParts";
import { useToast } from "../../components/Toast";
import { useFormat } from "../../lib/useFormat";
import { STATE_COLOUR, TYPE_COLOUR, useEinvoiceLabels } from "./labels";
import { useDocumentName } from "./ListView";
import { useEinvoiceCards, useEinvoicePivot } from "./queries";
import { DOC_TYPES, DOCUMENT_STATES, groupBy, toFilter, type SearchState } from "./search";

const CARD_SORT: EinvoiceSort = { field: "updated_at", descending: true };

function columnFilter(filter: EinvoiceFilter, state: DocumentState, type: string | null): EinvoiceFilter {
  return {
    ...filter,
    doc_type: type ? [type] : filter.doc_type,
    groups: [...filter.groups, { group_by: groupBy("state"), key: state }],
  };
}

type ColumnSummary = { count: number; total: number; types: Map<string, number> };

export function columnSummary(summary: EinvoicePivotResult | undefined, state: string): ColumnSummary {
  const types = new Map<string, number>();
  let count = 0;
  let total = 0;
  for (const c of summary?.cells ?? []) {
    if (c.row[0] !== state) continue;
    count += c.count;
    total += c.total;
    const k = c.col[0] ?? "";
    types.set(k, (types.get(k) ?? 0) + c.count);
  }
  return { count, total, types };
}

export function KanbanView({ state, open }: { state: SearchState; open: (row: EinvoiceRow) => void }) {
  const { t } = useTranslation();
  const l = useEinvoiceLabels();
  const toast = useToast();
  const filter = useMemo(() => toFilter(state), [state]);
  const summaryQuery = useMemo(() => ({ filter, rows: [groupBy("state")], cols: [groupBy("doc_type")] }), [filter]);
  const summary = useEinvoicePivot(summaryQuery);
  const [segments, setSegments] = useState<Record<string, string | null>>({});
  const cardsById = useRef(new Map<string, EinvoiceRow>());
  const name = useDocumentName();

  const onDrop = ({ from, to }: KanbanDrop) => {
    if (to == null || to === from) return;
    toast.show(t("einvoices.kanbanNoMove"), "info");
  };

  return (
    <div className="kanban-view">
      <div className="kanban-toolbar">
        <span className="muted small kanban-hint" data-testid="kanban-hint">
          <Icon name="info" size={14} />
          {t("einvoices.kanbanHint")}
        </span>
      </div>
      {summary.isError ? <ErrorBox error={summary.error} onRetry={() => void summary.refetch()} /> : null}
      <KanbanBoard
        dragEnabled
        onDrop={onDrop}
        testId="kanban"
        className="einvoice-kanban"
        instructions={t("einvoices.dndInstructions")}
        announcements={{
          onDragStart: ({ active }) => t("einvoices.dndPicked", { card: (() => { const r = cardsById.current.get(String(active.id)); return r ? name(r) : String(active.id); })() }),
          onDragOver: ({ over }) => (over ? t("einvoices.dndOver", { column: l.state(String(over.id)) }) : t("einvoices.dndNowhere")),
          onDragEnd: () => t("einvoices.kanbanNoMove"),
          onDragCancel: () => t("einvoices.dndCancelled"),
        }}
        renderOverlay={(id) => {
          const r = cardsById.current.get(String(id));
          return r ? <CardBody row={r} /> : null;
        }}
      >
        {DOCUMENT_STATES.map((s) => (
          <Column
            key={s}
            state={s}
            filter={filter}
            summary={columnSummary(summary.data, s)}
            segment={segments[s] ?? null}
            onSegment={(seg) => setSegments((x) => ({ ...x, [s]: x[s] === seg ? null : seg }))}
            open={open}
            register={(row) => cardsById.current.set(String(row.id), row)}
          />
        ))}
      </KanbanBoard>
    </div>
  );
}

function Column({
  state,
  filter,
  summary,
  segment,
  onSegment,
  open,
  register,
}: {
  state: DocumentState;
  filter: EinvoiceFilter;
  summary: ColumnSummary;
  segment: string | null;
  onSegment: (type: string) => void;
  open: (row: EinvoiceRow) => void;
  register: (row: EinvoiceRow) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = useEinvoiceLabels();
  const name = useDocumentName();
  const cards = useEinvoiceCards(columnFilter(filter, state, segment), CARD_SORT);
  cards.data?.pages.forEach((p) => p.rows.forEach(register));
  const segs = [...DOC_TYPES, ""].filter((d) => (summary.types.get(d) ?? 0) > 0);
  const title = l.state(state);

  return (
    <KanbanColumn id={state} label={title} testId={`kanban-col-${state}`} className={`col-${state}`}>
      <KanbanColumnHead column={state} title={title} count={summary.count} style={{ borderTopColor: `var(${STATE_COLOUR[state]})` }}>
        <div className="kanban-sum muted small" data-testid={`kanban-total-${state}`} title={t("einvoices.sumHint")}>
          {summary.count > 0 ? t("einvoices.columnTotal", { total: l.sum(summary.total) }) : "\u00a0"}
        </div>
        <KanbanSegmentBar
          column={state}
          label={t("einvoices.kanbanBar")}
          empty={summary.count === 0}
          segments={segs.map((d) => {
            const n = summary.types.get(d) ?? 0;
            return {
              key: d,
              n,
              label: t("einvoices.segment", { type: d ? l.docTypeLong(d) : t("einvoices.none"), n: f.number(n) }),
              colour: `var(${TYPE_COLOUR[d] ?? "--border-strong"})`,
            };
          })}
          active={segment}
          onSegment={onSegment}
        />
      </KanbanColumnHead>
      <KanbanCards
        column={state}
        cards={cards}
        onOpen={open}
        cardLabel={(row) => t("einvoices.cardLabel", { number: name(row), receiver: row.receiver_name ?? t("einvoices.noReceiver") })}
        renderCard={(row) => <CardBody row={row} />}
        loadMoreText={(shown, total) => t("einvoices.loadMoreOf", { shown, total })}
      />
    </KanbanColumn>
  );
}

function CardBody({ row }: { row: EinvoiceRow }) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = useEinvoiceLabels();
  const name = useDocumentName();
  return (
    <>
      <div className="card-line">
        <strong className="mono ellipsis">{name(row)}</strong>
        <span className="muted small nowrap">{l.docType(row.doc_type)}</span>
      </div>
      <div className="card-applicant">{row.receiver_name ?? <span className="muted">{t("einvoices.noReceiver")}</span>}</div>
      <div className="card-line small">
        <span className="muted">{row.issued_at ? f.shortDateTime(row.issued_at) : t("einvoices.notIssued")}</span>
        <strong className="num">{l.money(row.total, row.currency)}</strong>
      </div>
      {row.last_error && (row.state === "rejected" || row.state === "error") ? (
        <div className="card-error small" title={row.last_error}>
          {row.last_error}
        </div>
      ) : null}
    </>
  );
}
