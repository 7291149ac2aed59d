// What a list screen shows in place of its table: loading failed, still loading, nothing there
// yet (with the way to get some), or nothing matching the search. Every list answers these the
// same way, in this order.
import { useTranslation } from "react-i18next";
import { ErrorBox } from "./ErrorBox";

export function ListStates({
  query,
  empty,
  noMatch = false,
  children,
}: {
  query: { isError: boolean; error: unknown; isPending: boolean; refetch: () => unknown };
  /** The empty state, when there is nothing at all to list; null otherwise. */
  empty: React.ReactNode;
  /** "Nothing matches …", when the search hides every row; false otherwise. */
  noMatch?: string | false;
  /** The table. */
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isError) return <ErrorBox error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <p className="muted">{t("common.loading")}</p>;
  if (empty) return <>{empty}</>;
  if (noMatch) return <p className="muted">{noMatch}</p>;
  return <>{children}</>;
}
