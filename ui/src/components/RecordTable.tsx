// Tables of records that open on a click: the row is the link (Enter opens it too, the arrow
// keys move between rows), and a cell's own control must not open the row as well.
import { navigate } from "../lib/router";
import { onRowKeyDown } from "../lib/rowKeys";

/** A row that opens its record on click or Enter; ↑ / ↓ move the focus to the next row. */
export function OpenableRow({
  onOpen,
  children,
  ...attrs
}: { onOpen: () => void } & Omit<React.ComponentProps<"tr">, "onClick" | "onKeyDown" | "tabIndex">) {
  return (
    <tr {...attrs} tabIndex={0} onClick={onOpen} onKeyDown={(e) => onRowKeyDown(e, onOpen)}>
      {children}
    </tr>
  );
}

export type RecordColumn = { label: string; className?: string };

/** A clickable table: one header cell per column, one OpenableRow per record. */
export function RecordTable<R extends { id: number }>({
  columns,
  rows,
  onOpen,
  rowTestId,
  children,
}: {
  columns: RecordColumn[];
  rows: readonly R[];
  onOpen: (row: R) => void;
  rowTestId: (row: R) => string;
  /** The cells of one row. */
  children: (row: R) => React.ReactNode;
}) {
  return (
    <table className="table table-click">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} className={c.className}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <OpenableRow key={r.id} onOpen={() => onOpen(r)} data-testid={rowTestId(r)}>
            {children(r)}
          </OpenableRow>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The click and key handlers of a control inside an OpenableRow (a button, a switch, the cell
 * around them): the control does its own thing, and the row does not open as well.
 */
export function inRow(action?: () => void) {
  return {
    onClick: (e: React.MouseEvent) => {
      e.stopPropagation();
      action?.();
    },
    onKeyDown: (e: React.KeyboardEvent) => e.stopPropagation(),
  };
}

/** A count in a clickable row that leads somewhere else (say, the permits of this partner). */
export function CountLinkCell({ count, to, title, testId }: { count: string; to: string; title: string; testId: string }) {
  return (
    <td className="right">
      <button type="button" className="btn-link num" {...inRow(() => navigate(to))} title={title} data-testid={testId}>
        {count}
      </button>
    </td>
  );
}
