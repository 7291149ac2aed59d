// The Permits screen (#/permits?…): one search shared by the list, kanban, pivot and graph views.
import { useTranslation } from "react-i18next";
import { ControlPanel } from "../../components/ControlPanel";
import { Icon } from "../../components/Icon";
import { parseSearch, serializeSearch } from "../../lib/permitSearch";
import { navigate } from "../../lib/router";
import { useSearchRoute } from "../../lib/useSearchRoute";
import { GraphView } from "./GraphView";
import { KanbanView } from "./KanbanView";
import { ListView } from "./ListView";
import { PermitForm } from "./PermitForm";
import { PivotView } from "./PivotView";
import { ExpirySyncButton } from "../wizard/ExpirySyncWizard";
import { PermitSearchBox, SearchMenus, ViewSwitcher } from "./SearchPanel";
import "./permits.css";

/** #/permits, #/permits/<id> and #/permits/new. */
export function PermitsSection({ sub, query }: { sub: string | undefined; query: string }) {
  if (sub) return <PermitForm key={sub} idParam={sub} backQuery={query} />;
  return <PermitsScreen query={query} />;
}

export function PermitsScreen({ query }: { query: string }) {
  const { t } = useTranslation();
  const { state, update, open } = useSearchRoute("/permits", query, parseSearch, serializeSearch);

  const crumbs = [{ label: t("permits.title") }];
  const primary = (
    <>
      <button type="button" className="btn btn-primary" onClick={() => navigate(`/permits/new${query ? `?${query}` : ""}`)} data-testid="btn-new-permit">
        <Icon name="plus" />
        {t("permits.new")}
      </button>
      <SearchMenus state={state} update={update} showGroupBy={state.view !== "kanban"} />
    </>
  );

  let view: React.ReactNode;
  switch (state.view) {
    case "kanban":
      view = <KanbanView state={state} update={update} open={open} />;
      break;
    case "pivot":
      view = <PivotView state={state} update={update} />;
      break;
    case "graph":
      view = <GraphView state={state} update={update} />;
      break;
    default:
      view = <ListView state={state} update={update} open={open} />;
  }

  return (
    <div className="screen permits-screen" data-view={state.view}>
      <ControlPanel
        crumbs={crumbs}
        primary={primary}
        searchBox={<PermitSearchBox state={state} update={update} />}
        extra={
          <>
            <ExpirySyncButton size="sm" />
            <ViewSwitcher state={state} update={update} />
          </>
        }
      />
      <div className={`content permits-content view-${state.view}`}>{view}</div>
    </div>
  );
}
