import { useTranslation } from "react-i18next";
import { ControlPanel } from "../components/ControlPanel";
import { EmptyState } from "../components/EmptyState";
import { navigate } from "../lib/router";
import { SECTIONS, type SectionId } from "../sections";

type Info = { module: "comingSoon.odooModule"; body: "comingSoon.notes" };

const INFO: Partial<Record<SectionId, Info>> = {
  notes: { module: "comingSoon.odooModule", body: "comingSoon.notes" },
};

/** A section whose module is not built yet: what it will do, and what to set up meanwhile. */
export function ComingSoon({ section }: { section: SectionId }) {
  const { t } = useTranslation();
  const meta = SECTIONS.find((s) => s.id === section);
  const info = INFO[section];
  if (!meta || !info) return null;
  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t(meta.label) }]} />
      <div className="content">
        <EmptyState
          icon={meta.icon}
          badge={t("comingSoon.badge")}
          title={t(info.module)}
          body={t(info.body)}
          testId={`coming-soon-${section}`}
        >
          <p className="muted">{t("comingSoon.meanwhile")}</p>
          <button type="button" className="btn btn-secondary" onClick={() => navigate("/connections")}>
            {t("comingSoon.goConnections")}
          </button>
        </EmptyState>
      </div>
    </div>
  );
}
