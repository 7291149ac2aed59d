// A screen whose search lives in its address (#/permits?…, #/einvoices?…): the parsed search,
// `update` writing a new one back (replacing the history entry unless asked to push), and
// `open` going to a record with the search kept for the way back.
import { useCallback, useMemo } from "react";
import { navigate } from "./router";

export function useSearchRoute<S>(path: string, query: string, parse: (query: string) => S, serialize: (state: S) => string) {
  const state = useMemo(() => parse(query), [parse, query]);
  const update = useCallback(
    (next: S, opts?: { push?: boolean }) => {
      const q = serialize(next);
      navigate(q ? `${path}?${q}` : path, { replace: !opts?.push });
    },
    [path, serialize],
  );
  const open = useCallback((row: { id: number }) => navigate(`${path}/${row.id}${query ? `?${query}` : ""}`), [path, query]);
  return { state, update, open };
}
