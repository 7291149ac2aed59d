// The e-invoice settings on the Settings screen: polling for Hacienda's answers, sending in
// batches, retries and stored answers. Checked here with the backend's ranges; what the backend
// still refuses shows at its field. Saved with Save, undone with Discard, like the other forms.
import { useEffect } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiFailure, call } from "../../api/client";
import type { EinvoiceSettings } from "../../api/types";
import { ErrorBox } from "../../components/ErrorBox";
import { Field } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { UnsavedChangesDialog } from "../../components/UnsavedChangesDialog";
import { useEditForm } from "../../lib/useEditForm";
import { useFormat } from "../../lib/useFormat";
import {
  DEFAULTS,
  RANGES,
  einvoiceSettingsSchema,
  isSettingsField,
  type EinvoiceSettingsValues,
  type NumberField,
} from "./einvoiceSettingsSchema";
import "./settings.css";

export const einvoiceSettingsKey = ["einvoices", "settings"] as const;

export function useEinvoiceSettings() {
  return useQuery({ queryKey: einvoiceSettingsKey, queryFn: () => call("get_einvoice_settings", {}) });
}

export function useSaveEinvoiceSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (settings: EinvoiceSettings) => call("save_einvoice_settings", { settings }),
    onSuccess: (saved) => qc.setQueryData(einvoiceSettingsKey, saved),
  });
}

export function EinvoiceSettingsSection() {
  const { t } = useTranslation();
  const settings = useEinvoiceSettings();
  return (
    <section className="card settings-card einvoice-settings" aria-labelledby="settings-einvoices" data-testid="einvoice-settings">
      <h2 id="settings-einvoices" className="section-title">
        {t("queues.settings.title")}
      </h2>
      <p className="hint">{t("queues.settings.intro")}</p>
      {settings.isError ? <ErrorBox error={settings.error} onRetry={() => void settings.refetch()} /> : null}
      {settings.isPending ? <p className="muted">{t("common.loading")}</p> : null}
      {settings.data ? <EinvoiceSettingsForm settings={settings.data} /> : null}
    </section>
  );
}

const FORM_ID = "einvoice-settings-form";

export function EinvoiceSettingsForm({ settings }: { settings: EinvoiceSettings }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const save = useSaveEinvoiceSettings();
  const { form, guard, apiError, submit } = useEditForm<EinvoiceSettingsValues>({
    schema: einvoiceSettingsSchema,
    defaultValues: settings,
    fieldOf: (field) => (isSettingsField(field) ? field : null),
    focusServerErrors: true,
  });
  const { register, formState, reset, watch } = form;
  const { errors, isDirty, isSubmitting } = formState;
  const busy = isSubmitting || save.isPending;

  // Saved elsewhere (another window, the command line): show it, unless the user is editing.
  useEffect(() => {
    if (!form.formState.isDirty) reset(settings);
  }, [settings, reset, form]);

  const onSubmit = submit(async (values) => {
    const saved = await save.mutateAsync(values as EinvoiceSettings);
    reset(saved);
    toast.show(t("queues.settings.saved"));
  });

  const autoPoll = watch("auto_poll");
  const autoRetry = watch("auto_retry");
  const store = watch("store_responses");

  const num = (name: NumberField, unit: string, label: string, hint: string, disabled = false) => {
    const [min, max] = RANGES[name];
    return (
      <Field
        label={label}
        name={name}
        unit={unit}
        error={errors[name]?.message}
        hint={
          <>
            {hint} {t("queues.settings.defaultIs", { value: f.number(DEFAULTS[name]), min: f.number(min), max: f.number(max) })}
          </>
        }
        className={disabled ? "is-off" : undefined}
      >
        <input type="number" min={min} max={max} step={1} className="num" data-testid={`field-${name}`} {...register(name, { valueAsNumber: true })} />
      </Field>
    );
  };

  const check = (name: "auto_poll" | "auto_retry" | "store_responses", label: string, hint: string) => (
    <div className="field field-check span-2" data-field={name}>
      <label>
        <input type="checkbox" data-testid={`field-${name}`} {...register(name)} />
        {label}
      </label>
      {errors[name]?.message ? (
        <p className="field-error" data-testid={`error-${name}`}>
          {errors[name]?.message}
        </p>
      ) : (
        <p className="hint">
          {hint} {t(DEFAULTS[name] ? "queues.settings.defaultOn" : "queues.settings.defaultOff")}
        </p>
      )}
    </div>
  );

  return (
    <>
      {apiError ? <ErrorBox error={new ApiFailure(apiError)} hideFields={apiError.fields.length === 0} /> : null}
      <form id={FORM_ID} className="einvoice-settings-form" onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>{t("queues.settings.polling")}</legend>
          <div className="grid-2">
            {check("auto_poll", t("queues.settings.auto_poll"), t("queues.settings.auto_pollHint"))}
            {num("poll_every_minutes", t("queues.settings.unitMinutes"), t("queues.settings.poll_every_minutes"), t("queues.settings.poll_every_minutesHint"), !autoPoll)}
            {num("poll_max_age_hours", t("queues.settings.unitHours"), t("queues.settings.poll_max_age_hours"), t("queues.settings.poll_max_age_hoursHint"), !autoPoll)}
            {num("poll_batch", t("queues.settings.unitDocuments"), t("queues.settings.poll_batch"), t("queues.settings.poll_batchHint"), !autoPoll)}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("queues.settings.batches")}</legend>
          <div className="grid-2">
            {num("batch_size", t("queues.settings.unitDocuments"), t("queues.settings.batch_size"), t("queues.settings.batch_sizeHint"))}
            {num("batch_delay_seconds", t("queues.settings.unitSeconds"), t("queues.settings.batch_delay_seconds"), t("queues.settings.batch_delay_secondsHint"))}
            {num("max_concurrent_batches", t("queues.settings.unitBatches"), t("queues.settings.max_concurrent_batches"), t("queues.settings.max_concurrent_batchesHint"))}
            {num("send_late_after_hours", t("queues.settings.unitHours"), t("queues.settings.send_late_after_hours"), t("queues.settings.send_late_after_hoursHint"))}
            {num("send_warn_before_hours", t("queues.settings.unitHours"), t("queues.settings.send_warn_before_hours"), t("queues.settings.send_warn_before_hoursHint"))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("queues.settings.retries")}</legend>
          <div className="grid-2">
            {check("auto_retry", t("queues.settings.auto_retry"), t("queues.settings.auto_retryHint"))}
            {num("max_attempts", t("queues.settings.unitAttempts"), t("queues.settings.max_attempts"), t("queues.settings.max_attemptsHint"), !autoRetry)}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("queues.settings.stored")}</legend>
          <div className="grid-2">
            {check("store_responses", t("queues.settings.store_responses"), t("queues.settings.store_responsesHint"))}
            {num("response_retention_days", t("queues.settings.unitDays"), t("queues.settings.response_retention_days"), t("queues.settings.response_retention_daysHint"), !store)}
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !isDirty} data-testid="btn-save-einvoice-settings">
            {busy ? t("common.saving") : t("common.save")}
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => reset(settings)} disabled={!isDirty || busy} data-testid="btn-discard-einvoice-settings">
            {t("common.discard")}
          </button>
          {isDirty ? <span className="muted small">{t("queues.settings.unsaved")}</span> : null}
        </div>
      </form>
      <UnsavedChangesDialog guard={guard} body={t("queues.settings.unsavedBody")} />
    </>
  );
}
