import { useTranslation } from "react-i18next";
import { useAppInfo, useProgressMap } from "../api/queries";
import { href } from "../lib/router";
import { SECTIONS, type SectionId } from "../sections";
import { Icon } from "./Icon";

export function Sidebar({ current }: { current: SectionId }) {
  const { t } = useTranslation();
  const { data: info } = useAppInfo();
  const running = useProgressMap().size;

  const group = (g: "work" | "system") =>
    SECTIONS.filter((s) => s.group === g).map((s) => (
      <li key={s.id}>
        <a
          href={href(`/${s.id}`)}
          className={`nav-link${current === s.id ? " active" : ""}`}
          aria-current={current === s.id ? "page" : undefined}
          data-testid={`nav-${s.id}`}
          title={t(s.label)}
        >
          <Icon name={s.icon} size={18} />
          <span className="nav-label">{t(s.label)}</span>
          {s.id === "sync" && running > 0 ? (
            <span className="nav-count" title={t("dashboard.runningNow")}>
              {running}
            </span>
          ) : null}
        </a>
      </li>
    ));

  return (
    <aside className="sidebar">
      <div className="brand">
        <img src="/loket.svg" alt="" width={28} height={28} />
        <div>
          <div className="brand-name">{t("app.name")}</div>
          <div className="brand-tag">{t("app.tagline")}</div>
        </div>
      </div>
      {info?.demo || info?.keyring.ok === false ? (
        <div className="sidebar-badges">
          {info.demo ? (
            <span className="badge badge-violet" title={t("app.demoHint")} data-testid="badge-demo">
              <Icon name="flask" size={12} />
              {t("app.demo")}
            </span>
          ) : null}
          {info.keyring.ok === false ? (
            <a
              href={href("/settings")}
              className="badge badge-critical"
              title={t("app.keyringProblemHint")}
              data-testid="badge-keyring"
            >
              <Icon name="key" size={12} />
              {t("app.keyringProblem")}
            </a>
          ) : null}
        </div>
      ) : null}
      <nav aria-label={t("app.mainMenu")} className="nav">
        <div className="nav-group">{t("nav.groupWork")}</div>
        <ul>{group("work")}</ul>
        <div className="nav-group">{t("nav.groupSystem")}</div>
        <ul>{group("system")}</ul>
      </nav>
      {info ? <div className="sidebar-foot">Loket {info.version}</div> : null}
    </aside>
  );
}
