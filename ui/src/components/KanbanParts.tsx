// The parts of a kanban column the permit and the e-invoice boards share: the head with title
// and count, the colour bar whose segments filter the column, and the cards loaded page by page.
import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useFormat } from "../lib/useFormat";
import { ErrorBox } from "./ErrorBox";
import { KanbanCard } from "./KanbanBoard";

/** The column's head: title, count (and `action`, e.g. quick create), then `children` below. */
export function KanbanColumnHead({
  column,
  title,
  count,
  action,
  style,
  children,
}: {
  column: string;
  title: string;
  count: number;
  action?: React.ReactNode;
  style?: React.CSSProperties;
  children?: React.ReactNode;
}) {
  const f = useFormat();
  return (
    <header className="kanban-head" style={style}>
      <div className="kanban-title">
        <h2>{title}</h2>
        <span className="kanban-count" data-testid={`kanban-count-${column}`} data-count={count}>
          {f.number(count)}
        </span>
        {action}
      </div>
      {children}
    </header>
  );
}

export type KanbanSegment = { key: string; n: number; label: string; className?: string; colour?: string };

/** A bar of the column's records by some key, each segment sized by its count; a click filters. */
export function KanbanSegmentBar({
  column,
  label,
  empty,
  segments,
  active,
  onSegment,
}: {
  column: string;
  label: string;
  /** The column has no records: an empty bar keeps the heads aligned. */
  empty: boolean;
  segments: readonly KanbanSegment[];
  active: string | null;
  onSegment: (key: string) => void;
}) {
  return (
    <div className="kanban-bar" role="group" aria-label={label}>
      {empty ? <span className="kanban-bar-empty" /> : null}
      {segments.map((s) => (
        <button
          key={s.key}
          type="button"
          className={`kanban-seg${s.className ? ` ${s.className}` : ""}${active === s.key ? " active" : ""}${active && active !== s.key ? " dim" : ""}`}
          style={s.colour ? { flexGrow: s.n, background: s.colour } : { flexGrow: s.n }}
          onClick={() => onSegment(s.key)}
          aria-pressed={active === s.key}
          title={s.label}
          aria-label={s.label}
          data-testid={`kanban-seg-${column}-${s.key}`}
        />
      ))}
    </div>
  );
}

type Page<R> = { rows: R[]; total: number };

/** A column's cards, 50 at a time, with "load more" while there are more. */
export function KanbanCards<R extends { id: number }>({
  column,
  cards,
  onOpen,
  cardLabel,
  cardTitle,
  renderCard,
  loadMoreText,
}: {
  column: string;
  cards: UseInfiniteQueryResult<InfiniteData<Page<R>>>;
  onOpen: (row: R) => void;
  cardLabel: (row: R) => string;
  cardTitle?: string;
  renderCard: (row: R) => React.ReactNode;
  loadMoreText: (shown: string, total: string) => string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const rows = cards.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = cards.data?.pages[0]?.total ?? 0;
  return (
    <div className="kanban-cards">
      {cards.isError ? <ErrorBox error={cards.error} onRetry={() => void cards.refetch()} /> : null}
      {cards.isPending ? <p className="muted small">{t("common.loading")}</p> : null}
      {rows.map((row) => (
        <KanbanCard key={row.id} id={row.id} column={column} onOpen={() => onOpen(row)} testId={`kanban-card-${row.id}`} label={cardLabel(row)} title={cardTitle}>
          {renderCard(row)}
        </KanbanCard>
      ))}
      {cards.hasNextPage ? (
        <button type="button" className="btn btn-secondary btn-sm load-more" onClick={() => void cards.fetchNextPage()} disabled={cards.isFetchingNextPage}>
          {cards.isFetchingNextPage ? t("common.loading") : loadMoreText(f.number(rows.length), f.number(total))}
        </button>
      ) : null}
    </div>
  );
}
