import { useTranslation } from "react-i18next";
import type { TestOutcome } from "../api/types";
import { useFormat } from "../lib/useFormat";
import { Details } from "./ErrorBox";
import { Icon } from "./Icon";

/** The answer of "Test connection", shown inline. */
export function TestResult({ outcome }: { outcome: TestOutcome }) {
  const { t } = useTranslation();
  const f = useFormat();
  const ok = outcome.reachable && outcome.authenticated !== false && !outcome.failed_step;
  return (
    <div
      className={`test-result ${ok ? "test-ok" : "test-failed"}`}
      data-testid="test-result"
      data-reachable={String(outcome.reachable)}
      data-authenticated={outcome.authenticated == null ? "none" : String(outcome.authenticated)}
      role="status"
    >
      <div className="test-head">
        <Icon name={ok ? "check" : "x"} size={18} />
        <strong>{ok ? t("test.ok") : t("test.failed")}</strong>
      </div>
      <ul className="test-facts">
        <li className={outcome.reachable ? "yes" : "no"} data-testid="test-reachable">
          {outcome.reachable ? `✓ ${t("test.reachable")}` : `✗ ${t("test.unreachable")}`}
        </li>
        <li>
          <span className="muted">{t("test.serverVersion")}:</span>{" "}
          {outcome.server_version ?? t("common.notAvailable")}
        </li>
        <li
          className={outcome.authenticated == null ? undefined : outcome.authenticated ? "yes" : "no"}
          data-testid="test-authenticated"
        >
          {outcome.authenticated == null
            ? t("test.noLogin")
            : outcome.authenticated
              ? `✓ ${t("test.authenticated")}`
              : `✗ ${t("test.notAuthenticated")}`}
        </li>
        <li>
          <span className="muted">{t("test.latency")}:</span>{" "}
          <span className="num" data-testid="test-latency">
            {t("units.ms", { n: f.number(outcome.latency_ms) })}
          </span>
        </li>
        {outcome.failed_step ? (
          <li>
            <span className="muted">{t("test.failedStep")}:</span> {t(`test.step.${outcome.failed_step}`)}
          </li>
        ) : null}
      </ul>
      {outcome.failed_step ? (
        <p className="test-reason" data-testid="test-advice">
          <strong>{t("test.reason")}:</strong> {t(`test.advice.${outcome.failed_step}`)}
        </p>
      ) : null}
      {/* The backend's own words (English) and the outside system's answer, on demand. */}
      <Details text={[outcome.reason, outcome.details].filter(Boolean).join("\n\n") || null} />
    </div>
  );
}
