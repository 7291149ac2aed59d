import { useEffect, useId, useRef, useState } from "react";
import { Icon, type IconName } from "./Icon";

const ITEMS = '[role="menuitemcheckbox"]:not([disabled]), [role="menuitemradio"]:not([disabled]), [role="menuitem"]:not([disabled]), .menu-panel input, .menu-panel select';

/**
 * A drop-down menu (the control panel's Filters / Group by): the button opens it, arrow keys
 * move between its items, Esc or a click outside closes it and focus goes back to the button.
 */
export function Menu({
  label,
  icon,
  count,
  testId,
  children,
  align = "start",
  trigger,
  triggerClass,
}: {
  label: string;
  icon?: IconName;
  count?: number;
  testId?: string;
  children: React.ReactNode | ((close: () => void) => React.ReactNode);
  align?: "start" | "end";
  /** Replaces the button's text (then `label` is its accessible name). */
  trigger?: React.ReactNode;
  triggerClass?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>(ITEMS)?.focus();
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      close();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Home" && e.key !== "End") return;
    const target = e.target as HTMLElement;
    if (target.tagName === "SELECT" || (target.tagName === "INPUT" && (target as HTMLInputElement).type === "text")) return;
    const items = [...(panel.current?.querySelectorAll<HTMLElement>(ITEMS) ?? [])];
    if (items.length === 0) return;
    e.preventDefault();
    const i = items.indexOf(document.activeElement as HTMLElement);
    const next =
      e.key === "Home" ? 0 : e.key === "End" ? items.length - 1 : e.key === "ArrowDown" ? Math.min(i + 1, items.length - 1) : Math.max(i - 1, 0);
    items[next]?.focus();
  };

  return (
    <div className="menu" ref={root}>
      <button
        ref={button}
        type="button"
        className={triggerClass ?? `btn btn-secondary btn-sm menu-button${count ? " has-count" : ""}`}
        aria-label={trigger ? label : undefined}
        title={trigger ? label : undefined}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
        data-testid={testId}
      >
        {trigger ?? (
          <>
            {icon ? <Icon name={icon} size={14} /> : null}
            {label}
            {count ? <span className="menu-count">{count}</span> : null}
            <Icon name="chevronDown" size={12} />
          </>
        )}
      </button>
      {open ? (
        <div ref={panel} id={id} className={`menu-panel menu-${align}`} role="menu" aria-label={label} onKeyDown={onKeyDown}>
          {typeof children === "function" ? children(() => close()) : children}
        </div>
      ) : null}
    </div>
  );
}

/** A ticked / unticked entry of a menu. */
export function MenuCheck({
  checked,
  onChange,
  children,
  testId,
  radio = false,
  badge,
}: {
  checked: boolean;
  onChange: () => void;
  children: React.ReactNode;
  testId?: string;
  radio?: boolean;
  badge?: React.ReactNode;
}) {
  return (
    <button
      type="button"
      role={radio ? "menuitemradio" : "menuitemcheckbox"}
      aria-checked={checked}
      className={`menu-item${checked ? " checked" : ""}`}
      onClick={onChange}
      data-testid={testId}
    >
      <span className="menu-tick" aria-hidden="true">
        {checked ? <Icon name="check" size={13} /> : null}
      </span>
      <span className="menu-label">{children}</span>
      {badge}
    </button>
  );
}

export function MenuGroup({ label, children }: { label?: string; children: React.ReactNode }) {
  return (
    <div className="menu-group" role="group" aria-label={label}>
      {label ? <div className="menu-heading" aria-hidden="true">{label}</div> : null}
      {children}
    </div>
  );
}
