// A table that renders only the rows in view (TanStack Virtual), for lists of 100k+ rows. Rows
// are real <tr>s between two spacer rows, so column widths, sticky headers and keyboard focus
// work as in any table; each row is measured, so group headers may differ in height.
import { useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import type { RefObject } from "react";

/** The virtualizer of a scrolling box holding `count` rows. */
export function useVirtualRows(count: number, scrollRef: RefObject<HTMLDivElement | null>, rowHeight = 32, overscan = 12) {
  return useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
  });
}

export function VirtualTable({
  virtualizer,
  scrollRef,
  head,
  colCount,
  renderRow,
  className,
  ariaLabel,
  ariaRowCount,
  testId,
  onScrollKey,
}: {
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  scrollRef: RefObject<HTMLDivElement | null>;
  head: React.ReactNode;
  colCount: number;
  /** Renders row `index`; the <tr> must spread `measure` (ref and data-index). */
  renderRow: (index: number, measure: { ref: (el: Element | null) => void; "data-index": number }) => React.ReactNode;
  className?: string;
  ariaLabel: string;
  ariaRowCount?: number;
  testId?: string;
  onScrollKey?: React.KeyboardEventHandler<HTMLDivElement>;
}) {
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = Math.max(0, virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0));
  return (
    <div className="vtable-scroll" ref={scrollRef} data-testid={testId} onKeyDown={onScrollKey}>
      <table className={`table table-compact vtable${className ? ` ${className}` : ""}`} aria-label={ariaLabel} aria-rowcount={ariaRowCount}>
        <thead>{head}</thead>
        <tbody>
          {top > 0 ? (
            <tr className="vspacer" aria-hidden="true" style={{ height: top }}>
              <td colSpan={colCount} />
            </tr>
          ) : null}
          {items.map((item) => renderRow(item.index, { ref: virtualizer.measureElement, "data-index": item.index }))}
          {bottom > 0 ? (
            <tr className="vspacer" aria-hidden="true" style={{ height: bottom }}>
              <td colSpan={colCount} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
