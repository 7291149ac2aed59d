import { useCallback, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { isTauri, listen } from "./api/client";
import { useAppInfo, useBackendEvents, useSettings } from "./api/queries";
import type { SyncRun } from "./api/types";
import { ErrorBox } from "./components/ErrorBox";
import { Sidebar } from "./components/Sidebar";
import { useToast } from "./components/Toast";
import { applyLanguage } from "./i18n";
import { navigate, useRoute } from "./lib/router";
import { applyTheme } from "./lib/theme";
import { ComingSoon } from "./screens/ComingSoon";
import { ConnectionForm } from "./screens/ConnectionForm";
import { ConnectionsList } from "./screens/ConnectionsList";
import { Dashboard } from "./screens/Dashboard";
import { EinvoicesSection } from "./screens/einvoices/EinvoicesScreen";
import { PermitsSection } from "./screens/permits/PermitsScreen";
import { PartnerForm } from "./screens/partners/PartnerForm";
import { PartnersList } from "./screens/partners/PartnersList";
import { PermitTypeForm } from "./screens/permitTypes/PermitTypeForm";
import { PermitTypesList } from "./screens/permitTypes/PermitTypesList";
import { ResponsesSection } from "./screens/responses/ResponsesScreen";
import { RetryQueueScreen } from "./screens/retryQueue/RetryQueueScreen";
import { SettingsScreen } from "./screens/Settings";
import { SyncScreen } from "./screens/Sync";
import { sectionOf } from "./sections";

export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const section = sectionOf(route.parts);
  const settings = useSettings();
  const info = useAppInfo();
  const toast = useToast();

  useEffect(() => {
    if (!settings.data) return;
    applyLanguage(settings.data.language);
    applyTheme(settings.data.theme);
  }, [settings.data]);

  // Unknown addresses land on the dashboard.
  useEffect(() => {
    if (route.parts.length === 0 || route.parts[0] !== section) navigate("/dashboard", { replace: true, force: true });
  }, [route.parts, section]);

  const onRunFinished = useCallback(
    (run: SyncRun) => {
      if (run.trigger !== "manual") return;
      const tone = run.status === "succeeded" ? "ok" : run.status === "failed" ? "critical" : "info";
      toast.show(t("sync.runFinished", { job: t(`job.${run.job}`), status: t(`runStatus.${run.status}`) }), tone);
    },
    [t, toast],
  );
  useBackendEvents(onRunFinished);

  // In a plain browser there is no desktop notification: show it in the window instead.
  useEffect(() => {
    if (isTauri()) return;
    return listen("notify", (n) => toast.show(`${n.title}: ${n.body}`, "info"));
  }, [toast]);

  let screen: React.ReactNode;
  switch (section) {
    case "connections": {
      const sub = route.parts[1];
      screen = sub ? <ConnectionForm key={sub} idParam={sub} /> : <ConnectionsList />;
      break;
    }
    case "sync":
      screen = <SyncScreen tab={route.parts[1]} />;
      break;
    case "settings":
      screen = <SettingsScreen />;
      break;
    case "dashboard":
      screen = <Dashboard />;
      break;
    case "permits":
      screen = <PermitsSection sub={route.parts[1]} query={route.query} />;
      break;
    case "permit-types": {
      const sub = route.parts[1];
      screen = sub ? <PermitTypeForm key={sub} idParam={sub} /> : <PermitTypesList />;
      break;
    }
    case "partners": {
      const sub = route.parts[1];
      screen = sub ? <PartnerForm key={sub} idParam={sub} /> : <PartnersList />;
      break;
    }
    case "einvoices":
      screen = <EinvoicesSection sub={route.parts[1]} query={route.query} />;
      break;
    case "responses":
      screen = <ResponsesSection sub={route.parts[1]} />;
      break;
    case "retry-queue":
      screen = <RetryQueueScreen />;
      break;
    default:
      screen = <ComingSoon section={section} />;
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById("main")?.focus();
      }}>
        {t("app.skipToContent")}
      </a>
      <Sidebar current={section} />
      <main id="main" className="main" tabIndex={-1}>
        {info.isError ? (
          <div className="backend-down">
            <ErrorBox error={info.error} onRetry={() => void info.refetch()} />
          </div>
        ) : null}
        {screen}
      </main>
    </div>
  );
}
