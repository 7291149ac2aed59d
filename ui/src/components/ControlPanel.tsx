import { useTranslation } from "react-i18next";
import { href } from "../lib/router";
import { Icon } from "./Icon";

export type Crumb = { label: string; to?: string };

/** The top of every screen: breadcrumbs, primary action on the left, search and extras. */
export function ControlPanel({
  crumbs,
  primary,
  search,
  searchBox,
  extra,
  children,
}: {
  crumbs: Crumb[];
  primary?: React.ReactNode;
  search?: { value: string; onChange: (v: string) => void; placeholder: string };
  /** A richer search box (with filter chips) in place of the plain one. */
  searchBox?: React.ReactNode;
  extra?: React.ReactNode;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <header className="control-panel">
      <div className="cp-row">
        <nav aria-label={t("common.breadcrumbs")} className="breadcrumbs">
          <ol>
            {crumbs.map((c, i) => {
              const last = i === crumbs.length - 1;
              return (
                <li key={`${i}-${c.label}`}>
                  {last ? (
                    <h1 aria-current="page">{c.label}</h1>
                  ) : c.to ? (
                    <a href={href(c.to)}>{c.label}</a>
                  ) : (
                    <span>{c.label}</span>
                  )}
                  {!last ? <span className="crumb-sep" aria-hidden="true">/</span> : null}
                </li>
              );
            })}
          </ol>
        </nav>
        {searchBox}
        {search && !searchBox ? (
          <div className="cp-search">
            <Icon name="search" />
            <input
              type="search"
              value={search.value}
              onChange={(e) => search.onChange(e.target.value)}
              placeholder={search.placeholder}
              aria-label={search.placeholder}
              data-testid="search"
            />
          </div>
        ) : null}
      </div>
      {primary || extra || children ? (
        <div className="cp-row cp-actions">
          <div className="cp-primary">{primary}</div>
          <div className="cp-extra">{extra}</div>
          {children}
        </div>
      ) : null}
    </header>
  );
}
