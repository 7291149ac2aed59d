// A kanban board on dnd-kit: columns are drop targets, cards drag between them with the mouse or
// the keyboard (Space picks a card up, ← → move it a column, Space drops, Esc cancels).
import { createContext, useContext, useState } from "react";
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { CSS } from "@dnd-kit/utilities";

export type KanbanDrop = { cardId: UniqueIdentifier; from: string; to: string | null };

/** Arrow keys jump to the middle of the neighbouring column; up / down nudge within it. */
export const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { currentCoordinates, context }) => {
  const rect = context.collisionRect;
  if (!rect) return undefined;
  if (event.code === "ArrowDown" || event.code === "ArrowUp") {
    event.preventDefault();
    return { ...currentCoordinates, y: currentCoordinates.y + (event.code === "ArrowDown" ? 40 : -40) };
  }
  if (event.code !== "ArrowRight" && event.code !== "ArrowLeft") return undefined;
  event.preventDefault();
  // The column the card is over now (else the one under its centre), then its neighbour.
  const columns = [...context.droppableRects.entries()].sort((a, b) => a[1].left - b[1].left);
  const centre = rect.left + rect.width / 2;
  let at = columns.findIndex(([id]) => id === context.over?.id);
  if (at < 0) at = columns.findIndex(([, c]) => centre >= c.left && centre <= c.left + c.width);
  const next = at < 0 ? (event.code === "ArrowRight" ? columns.find(([, c]) => c.left > centre) : [...columns].reverse().find(([, c]) => c.left + c.width < centre)) : columns[at + (event.code === "ArrowRight" ? 1 : -1)];
  const target = next?.[1];
  if (!target) return currentCoordinates;
  return { x: target.left + (target.width - rect.width) / 2, y: Math.max(target.top + 48, Math.min(currentCoordinates.y, target.top + target.height - rect.height)) };
};

const collision: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  return within.length > 0 ? within : rectIntersection(args);
};

type DragState = { activeId: UniqueIdentifier | null; dragEnabled: boolean };
const DragContext = createContext<DragState>({ activeId: null, dragEnabled: false });

export function KanbanBoard({
  children,
  onDrop,
  dragEnabled,
  renderOverlay,
  announcements,
  instructions,
  className,
  testId,
}: {
  children: React.ReactNode;
  onDrop: (drop: KanbanDrop) => void;
  dragEnabled: boolean;
  renderOverlay?: (cardId: UniqueIdentifier) => React.ReactNode;
  announcements?: Announcements;
  instructions?: string;
  className?: string;
  testId?: string;
}) {
  const [activeId, setActiveId] = useState<UniqueIdentifier | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: columnKeyboardCoordinates,
      keyboardCodes: { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] },
    }),
  );
  const onDragStart = (e: DragStartEvent) => setActiveId(e.active.id);
  const onDragEnd = (e: DragEndEvent) => {
    setActiveId(null);
    const from = (e.active.data.current as { column?: string } | undefined)?.column;
    if (from == null) return;
    onDrop({ cardId: e.active.id, from, to: e.over ? String(e.over.id) : null });
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collision}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActiveId(null)}
      accessibility={announcements || instructions ? { announcements, screenReaderInstructions: instructions ? { draggable: instructions } : undefined } : undefined}
    >
      <DragContext.Provider value={{ activeId, dragEnabled }}>
        <div className={`kanban${className ? ` ${className}` : ""}`} data-testid={testId}>
          {children}
        </div>
      </DragContext.Provider>
      <DragOverlay dropAnimation={null}>{activeId != null && renderOverlay ? <div className="kanban-overlay">{renderOverlay(activeId)}</div> : null}</DragOverlay>
    </DndContext>
  );
}

/** A column: a drop target when dragging is on. */
export function KanbanColumn({
  id,
  children,
  className,
  testId,
  label,
}: {
  id: string;
  children: React.ReactNode;
  className?: string;
  testId?: string;
  label: string;
}) {
  const { dragEnabled, activeId } = useContext(DragContext);
  const { setNodeRef, isOver } = useDroppable({ id, disabled: !dragEnabled });
  return (
    <section
      ref={setNodeRef}
      className={`kanban-column${isOver && activeId != null ? " is-over" : ""}${className ? ` ${className}` : ""}`}
      aria-label={label}
      data-testid={testId}
      data-column={id}
    >
      {children}
    </section>
  );
}

/** A card that can be dragged to another column; Enter opens it. */
export function KanbanCard({
  id,
  column,
  children,
  onOpen,
  testId,
  label,
  title,
}: {
  id: UniqueIdentifier;
  column: string;
  children: React.ReactNode;
  onOpen: () => void;
  testId?: string;
  label: string;
  title?: string;
}) {
  const { dragEnabled, activeId } = useContext(DragContext);
  const { setNodeRef, listeners, attributes, transform, isDragging } = useDraggable({ id, data: { column }, disabled: !dragEnabled });
  const onKeyDown = (e: React.KeyboardEvent<HTMLElement>) => {
    if (e.key === "Enter" && activeId == null) {
      e.preventDefault();
      onOpen();
      return;
    }
    listeners?.onKeyDown?.(e);
  };
  return (
    <article
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      onKeyDown={onKeyDown}
      onClick={onOpen}
      tabIndex={0}
      role="button"
      aria-roledescription={dragEnabled ? attributes["aria-roledescription"] : undefined}
      aria-label={label}
      title={title}
      className={`kanban-card${isDragging ? " is-dragging" : ""}${dragEnabled ? " draggable" : ""}`}
      style={transform && !isDragging ? { transform: CSS.Translate.toString(transform) } : undefined}
      data-testid={testId}
    >
      {children}
    </article>
  );
}
