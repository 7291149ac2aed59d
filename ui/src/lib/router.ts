// Hash routing (#/connections/3, #/permits?v=kanban) with one optional guard that can hold
// navigation back (the unsaved-change dialog of a form).
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";

/** `path` is the whole address after "#" (with its query), `parts` its path segments. */
export type Route = { path: string; parts: string[]; query: string };

function normalize(hash: string): string {
  const p = hash.replace(/^#/, "");
  return p.startsWith("/") ? p : `/${p}`;
}

function currentPath(): string {
  return typeof window === "undefined" ? "/" : normalize(window.location.hash);
}

type Blocker = (target: string) => boolean;
let blocker: Blocker | null = null;
let shownPath = currentPath();
const listeners = new Set<() => void>();

function notify() {
  listeners.forEach((l) => l());
}

function onHashChange() {
  const target = currentPath();
  if (target === shownPath) return;
  if (blocker && blocker(target)) {
    // Put the address back without another hashchange; the guard decides.
    window.history.replaceState(null, "", `#${shownPath}`);
    return;
  }
  shownPath = target;
  notify();
}

if (typeof window !== "undefined") window.addEventListener("hashchange", onHashChange);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getPath = () => shownPath;

export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, getPath, getPath);
  const q = path.indexOf("?");
  const bare = q < 0 ? path : path.slice(0, q);
  return { path, parts: bare.split("/").filter(Boolean).map(decodeURIComponent), query: q < 0 ? "" : path.slice(q + 1) };
}

/** Goes to `path` ("/connections/3"). A guard may hold it back unless `force` is set. */
export function navigate(path: string, opts: { force?: boolean; replace?: boolean } = {}) {
  const target = normalize(path);
  if (target === shownPath) return;
  if (!opts.force && blocker && blocker(target)) return;
  shownPath = target;
  if (opts.replace) window.history.replaceState(null, "", `#${target}`);
  else window.history.pushState(null, "", `#${target}`);
  notify();
}

export function href(path: string): string {
  return `#${normalize(path)}`;
}

/** While `active`, navigation away is held and `pending` names where the user wanted to go. */
export function useLeaveGuard(active: boolean) {
  const [pending, setPending] = useState<string | null>(null);
  const mine = useRef<Blocker | null>(null);

  useEffect(() => {
    if (!active) return;
    const b: Blocker = (target) => {
      setPending(target);
      return true;
    };
    mine.current = b;
    blocker = b;
    const beforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      if (blocker === b) blocker = null;
      window.removeEventListener("beforeunload", beforeUnload);
    };
  }, [active]);

  const proceed = useCallback(() => {
    const target = pending;
    if (blocker === mine.current) blocker = null;
    setPending(null);
    if (target) navigate(target, { force: true });
  }, [pending]);

  const stay = useCallback(() => setPending(null), []);
  return { pending, proceed, stay };
}

/** For tests: reset the router to the current location. */
export function resetRouterForTests() {
  blocker = null;
  shownPath = currentPath();
  notify();
}
