import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiFailure, call } from "../api/client";
import { useAppInfo, useSaveSettings, useSettings, useTimezones } from "../api/queries";
import type { Language, Settings, Theme } from "../api/types";
import { Badge } from "../components/Badge";
import { Combobox } from "../components/Combobox";
import { ControlPanel } from "../components/ControlPanel";
import { ErrorBox } from "../components/ErrorBox";
import { Field } from "../components/Field";
import { Icon } from "../components/Icon";
import { useToast } from "../components/Toast";
import { applyLanguage, LANGUAGES } from "../i18n";
import { applyTheme } from "../lib/theme";
import { EinvoiceSettingsSection } from "./settings/EinvoiceSettingsSection";

export function SettingsScreen() {
  const { t } = useTranslation();
  const settings = useSettings();
  const crumbs = [{ label: t("settings.title") }];
  return (
    <div className="screen">
      <ControlPanel crumbs={crumbs} />
      <div className="content settings">
        {settings.isError ? <ErrorBox error={settings.error} onRetry={() => void settings.refetch()} /> : null}
        {settings.isPending ? <p className="muted">{t("common.loading")}</p> : null}
        {settings.data ? <SettingsForm settings={settings.data} /> : null}
        <EinvoiceSettingsSection />
        <NotificationsBlock />
        <AboutBlock />
      </div>
    </div>
  );
}

/** Each setting is saved as soon as it changes, like a desktop preferences window. */
function SettingsForm({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const save = useSaveSettings();
  const timezones = useTimezones();
  const [error, setError] = useState<unknown>(null);
  const [retention, setRetention] = useState(String(settings.log_retention_days));
  const [retentionError, setRetentionError] = useState<string | undefined>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  useEffect(() => setRetention(String(settings.log_retention_days)), [settings.log_retention_days]);

  const update = async (patch: Partial<Settings>) => {
    setError(null);
    setFieldErrors({});
    const next = { ...settings, ...patch };
    // Language and theme apply at once; the saved value confirms them.
    if (patch.language) applyLanguage(patch.language);
    if (patch.theme) applyTheme(patch.theme);
    try {
      await save.mutateAsync(next);
      // i18n.t, not the render's t: a language change must confirm in the new language.
      toast.show(i18n.t("settings.saved"));
    } catch (e) {
      if (patch.language) applyLanguage(settings.language);
      if (patch.theme) applyTheme(settings.theme);
      // Field errors go next to their fields; anything else shows above.
      const fields = e instanceof ApiFailure ? e.error.fields : [];
      if (fields.length > 0) setFieldErrors(Object.fromEntries(fields.map((f) => [f.field, f.message])));
      else setError(e);
    }
  };

  const commitRetention = () => {
    const n = Number(retention);
    if (!Number.isInteger(n) || n < 1 || n > 3650) {
      setRetentionError("validation.retentionRange");
      return;
    }
    setRetentionError(undefined);
    if (n !== settings.log_retention_days) void update({ log_retention_days: n });
  };

  const tzOptions = timezones.data ?? [settings.office_timezone];

  return (
    <section className="card settings-card" aria-labelledby="settings-general">
      <h2 id="settings-general" className="section-title">
        {t("settings.general")}
      </h2>
      {error ? <ErrorBox error={error} /> : null}
      <div className="grid-2">
        <Field label={t("settings.language")} name="language">
          <select
            value={settings.language}
            onChange={(e) => void update({ language: e.target.value as Language })}
            data-testid="settings-language"
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("settings.theme")} name="theme">
          <select value={settings.theme} onChange={(e) => void update({ theme: e.target.value as Theme })} data-testid="settings-theme">
            <option value="system">{t("settings.themeSystem")}</option>
            <option value="light">{t("settings.themeLight")}</option>
            <option value="dark">{t("settings.themeDark")}</option>
          </select>
        </Field>
        <Field label={t("settings.timezone")} name="office_timezone" hint={t("settings.timezoneHint")} error={fieldErrors.office_timezone}>
          <Combobox
            value={settings.office_timezone}
            options={tzOptions}
            onChange={(tz) => void update({ office_timezone: tz })}
            placeholder={t("settings.timezoneSearch")}
            noMatch={t("settings.timezoneNoMatch")}
            testId="settings-timezone"
          />
        </Field>
        <Field label={t("settings.retention")} name="log_retention_days" unit={t("settings.retentionUnit")} error={retentionError ?? fieldErrors.log_retention_days}>
          <input
            type="number"
            min={1}
            max={3650}
            step={1}
            className="num"
            value={retention}
            onChange={(e) => setRetention(e.target.value)}
            onBlur={commitRetention}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                commitRetention();
              }
            }}
            data-testid="settings-retention"
          />
        </Field>
        <div className="field field-check span-2">
          <label>
            <input
              type="checkbox"
              checked={settings.close_to_tray}
              onChange={(e) => void update({ close_to_tray: e.target.checked })}
              data-testid="settings-close-to-tray"
            />
            {t("settings.closeToTray")}
          </label>
          <p className="hint">{t("settings.closeToTrayHint")}</p>
        </div>
      </div>
    </section>
  );
}

function NotificationsBlock() {
  const { t } = useTranslation();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await call("send_test_notification", {});
      toast.show(t("settings.testNotificationSent"));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card settings-card" aria-labelledby="settings-notifications">
      <h2 id="settings-notifications" className="section-title">
        {t("settings.notifications")}
      </h2>
      <p className="hint">{t("settings.notificationsHint")}</p>
      {error ? <ErrorBox error={error} /> : null}
      <button type="button" className="btn btn-secondary" onClick={() => void send()} disabled={busy} data-testid="btn-test-notification">
        <Icon name="bell" />
        {t("settings.testNotification")}
      </button>
    </section>
  );
}

function AboutBlock() {
  const { t } = useTranslation();
  const info = useAppInfo();
  if (info.isError) return <ErrorBox error={info.error} onRetry={() => void info.refetch()} />;
  if (!info.data) return null;
  const { version, data_dir, demo, keyring, sandbox } = info.data;
  return (
    <section className="card settings-card" aria-labelledby="settings-about" data-testid="about">
      <h2 id="settings-about" className="section-title">
        {t("settings.about")}
      </h2>
      <dl className="facts facts-wide">
        <div>
          <dt>{t("settings.version")}</dt>
          <dd className="num">{version}</dd>
        </div>
        <div>
          <dt>{t("settings.dataDir")}</dt>
          <dd className="mono">{data_dir}</dd>
        </div>
        <div>
          <dt>{t("settings.keyring")}</dt>
          <dd data-testid="about-keyring" data-ok={String(keyring.ok)}>
            {keyring.ok ? (
              <Badge tone="ok" icon="check">
                {t("settings.keyringOk", { backend: keyring.backend })}
              </Badge>
            ) : (
              <div className="stack">
                <Badge tone="critical" icon="alert">
                  {t("settings.keyringBad", { backend: keyring.backend })}
                </Badge>
                {keyring.problem ? <p>{keyring.problem}</p> : null}
                <p className="hint">{keyring.advice ?? t("errors.keyringFallback")}</p>
              </div>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("settings.demo")}</dt>
          <dd>{demo ? <Badge tone="violet" icon="flask">{t("settings.demoOn")}</Badge> : t("settings.demoOff")}</dd>
        </div>
        {sandbox ? (
          <div>
            <dt>{t("settings.sandbox")}</dt>
            <dd>
              <dl className="facts facts-inner">
                <div>
                  <dt>{t("settings.sandboxSicantik")}</dt>
                  <dd className="mono">{sandbox.sicantik_url}</dd>
                </div>
                <div>
                  <dt>{t("settings.sandboxOdoo")}</dt>
                  <dd className="mono">{sandbox.odoo_url}</dd>
                </div>
                <div>
                  <dt>{t("settings.sandboxHacienda")}</dt>
                  <dd className="mono">{sandbox.hacienda_url}</dd>
                </div>
              </dl>
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
