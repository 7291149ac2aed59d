// The E-invoices screen (#/einvoices?…): one search shared by the list, kanban, pivot and graph
// views, the bulk actions (sign, send to Hacienda, check status) over the ticked rows or the
// whole search, and the import of documents from a file. #/einvoices/<id> opens a document.
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useConnections } from "../../api/queries";
import type { BulkKind, BulkSelection } from "../../api/types";
import { ControlPanel } from "../../components/ControlPanel";
import { ErrorBox, asApiError } from "../../components/ErrorBox";
import { Icon, type IconName } from "../../components/Icon";
import { useToast } from "../../components/Toast";
import { useSearchRoute } from "../../lib/useSearchRoute";
import { EMPTY_SELECTION, isSelected, type Selection } from "../../lib/selection";
import { useFormat } from "../../lib/useFormat";
import { EinvoiceForm } from "./EinvoiceForm";
import { GraphView } from "./GraphView";
import { ImportDialog } from "./ImportDialog";
import { KanbanView } from "./KanbanView";
import { ListView, NoConnection, NoDocuments } from "./ListView";
import { PivotView } from "./PivotView";
import { fetchAllRows, useAnyEinvoice } from "./queries";
import { DEFAULT_SEARCH, parseSearch, serializeSearch, toFilter } from "./search";
import { EinvoiceSearchBox, SearchMenus, ViewSwitcher } from "./SearchPanel";
import { BulkWizard } from "./wizard/BulkWizard";
import "../permits/permits.css";
import "./einvoices.css";

/** #/einvoices and #/einvoices/<id>. */
export function EinvoicesSection({ sub, query }: { sub: string | undefined; query: string }) {
  if (sub) return <EinvoiceForm key={sub} idParam={sub} backQuery={query} />;
  return <EinvoicesScreen query={query} />;
}

const BULK: Array<{ kind: BulkKind; icon: IconName; testId: string }> = [
  { kind: "sign", icon: "edit", testId: "btn-bulk-sign" },
  { kind: "submit", icon: "send", testId: "btn-bulk-submit" },
  { kind: "status", icon: "sync", testId: "btn-bulk-status" },
];

export function EinvoicesScreen({ query }: { query: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const { state, update, open } = useSearchRoute("/einvoices", query, parseSearch, serializeSearch);
  const filter = useMemo(() => toFilter(state), [state]);

  const connections = useConnections();
  const any = useAnyEinvoice();
  const hasConnection = (connections.data ?? []).some((c) => c.kind === "hacienda");
  const noConnection = connections.isSuccess && !hasConnection;
  const noDocuments = any.isSuccess && any.data.total === 0;

  // The ticked rows of the list; a new search starts with none.
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const filterKey = JSON.stringify(filter);
  useEffect(() => setSelection(EMPTY_SELECTION), [filterKey]);
  const listSelection = state.view === "list" ? selection : EMPTY_SELECTION;
  const ticked = listSelection.all ? null : listSelection.ids.size;

  const [importing, setImporting] = useState(false);
  const [bulk, setBulk] = useState<{ kind: BulkKind; selection: BulkSelection } | null>(null);
  const [resolving, setResolving] = useState(false);

  const startBulk = async (kind: BulkKind) => {
    const s = listSelection;
    if (!s.all && s.ids.size > 0) {
      setBulk({ kind, selection: { by: "ids", ids: [...s.ids] } });
      return;
    }
    if (s.all && s.except.size > 0) {
      // "All matching but these": the ids of the search minus the unticked ones.
      setResolving(true);
      try {
        const rows = await fetchAllRows(filter, state.sort);
        setBulk({ kind, selection: { by: "ids", ids: rows.filter((r) => isSelected(s, r.id)).map((r) => r.id) } });
      } catch (e) {
        toast.show(asApiError(e).message, "critical");
      } finally {
        setResolving(false);
      }
      return;
    }
    setBulk({ kind, selection: { by: "filter", filter } });
  };

  const scope = ticked ? t("einvoices.bulkScopeTicked", { n: f.number(ticked) }) : t("einvoices.bulkScopeSearch");
  const disabledAll = noConnection || noDocuments || resolving;

  const primary = (
    <>
      <button type="button" className="btn btn-primary" onClick={() => setImporting(true)} data-testid="btn-import" disabled={noConnection}>
        <Icon name="upload" />
        {t("einvoices.import")}
      </button>
      <SearchMenus state={state} update={update} showGroupBy={state.view === "pivot" || state.view === "graph"} />
    </>
  );

  const extra = (
    <>
      <div className="bulk-buttons" role="group" aria-label={t("einvoices.bulkGroup")}>
        {BULK.map((b) => (
          <button
            key={b.kind}
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => void startBulk(b.kind)}
            disabled={disabledAll}
            title={`${t(`einvoices.bulkHint.${b.kind}`)} ${scope}`}
            data-testid={b.testId}
          >
            <Icon name={b.icon} size={14} />
            {t(`einvoices.bulk.${b.kind}`)}
            {ticked ? <span className="menu-count">{f.number(ticked)}</span> : null}
          </button>
        ))}
      </div>
      <ViewSwitcher state={state} update={update} />
    </>
  );

  let view: React.ReactNode;
  if (connections.isError) view = <ErrorBox error={connections.error} onRetry={() => void connections.refetch()} />;
  else if (noConnection) view = <NoConnection />;
  else if (noDocuments && state.view !== "list") view = <NoDocuments onImport={() => setImporting(true)} />;
  else {
    switch (state.view) {
      case "kanban":
        view = <KanbanView state={state} open={open} />;
        break;
      case "pivot":
        view = <PivotView state={state} update={update} />;
        break;
      case "graph":
        view = <GraphView state={state} update={update} />;
        break;
      default:
        view = <ListView state={state} update={update} open={open} onImport={() => setImporting(true)} selection={selection} setSelection={setSelection} />;
    }
  }

  return (
    <div className="screen permits-screen einvoices-screen" data-view={state.view}>
      <ControlPanel crumbs={[{ label: t("einvoices.title") }]} primary={primary} searchBox={<EinvoiceSearchBox state={state} update={update} />} extra={extra} />
      <div className={`content permits-content einvoices-content view-${state.view}`}>{view}</div>
      {importing ? (
        <ImportDialog
          onClose={() => setImporting(false)}
          onShowDrafts={() => {
            setImporting(false);
            update({ ...DEFAULT_SEARCH, states: ["draft"], sort: { field: "created_at", descending: true } }, { push: true });
          }}
        />
      ) : null}
      {bulk ? <BulkWizard kind={bulk.kind} selection={bulk.selection} onClose={() => setBulk(null)} /> : null}
    </div>
  );
}
