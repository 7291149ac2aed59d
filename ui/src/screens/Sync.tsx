import { useTranslation } from "react-i18next";
import { ControlPanel } from "../components/ControlPanel";
import { href, navigate } from "../lib/router";
import { JobsTab } from "./sync/JobsTab";
import { LogTab } from "./sync/LogTab";
import { RunsTab } from "./sync/RunsTab";
import { useRoute } from "../lib/router";

const TABS = ["jobs", "runs", "log"] as const;
type Tab = (typeof TABS)[number];

export function SyncScreen({ tab }: { tab: string | undefined }) {
  const { t } = useTranslation();
  const route = useRoute();
  const current: Tab = (TABS as readonly string[]).includes(tab ?? "") ? (tab as Tab) : "jobs";
  const label = { jobs: t("sync.tabJobs"), runs: t("sync.tabRuns"), log: t("sync.tabLog") };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const i = TABS.indexOf(current);
    const next = TABS[(i + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length]!;
    navigate(`/sync/${next}`);
    window.setTimeout(() => document.getElementById(`tab-${next}`)?.focus(), 0);
  };

  const connectionParam = route.parts[2] ? Number(route.parts[2]) : null;

  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t("sync.title"), to: "/sync" }, { label: label[current] }]}>
        <div className="tabs" role="tablist" aria-label={t("sync.title")} onKeyDown={onKeyDown}>
          {TABS.map((tb) => (
            <a
              key={tb}
              id={`tab-${tb}`}
              role="tab"
              href={href(`/sync/${tb}`)}
              aria-selected={tb === current}
              tabIndex={tb === current ? 0 : -1}
              className={`tab${tb === current ? " active" : ""}`}
              data-testid={`tab-${tb}`}
            >
              {label[tb]}
            </a>
          ))}
        </div>
      </ControlPanel>
      <div className="content" role="tabpanel" aria-labelledby={`tab-${current}`}>
        {current === "jobs" ? <JobsTab /> : null}
        {current === "runs" ? <RunsTab initialConnection={Number.isFinite(connectionParam) ? connectionParam : null} /> : null}
        {current === "log" ? <LogTab initialConnection={Number.isFinite(connectionParam) ? connectionParam : null} /> : null}
      </div>
    </div>
  );
}
