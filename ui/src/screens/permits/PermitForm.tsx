// The permit form (#/permits/<id>): what the office may change (status, notes, expiry date,
// renewal link, renewal in progress, snooze), next to the read-only data from the permit office,
// the reminders sent and the sync history. #/permits/new enters a permit by hand.
import { useEffect, useState } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { z } from "zod";
import { useTranslation } from "react-i18next";
import { ApiFailure } from "../../api/client";
import { useCreatePermit, usePermit, usePermitTypes, useSavePermit } from "../../api/queries";
import type { NewPermit, PermitDetail, PermitEdit, PermitStatus } from "../../api/types";
import { SaveButtons } from "../../components/SaveButtons";
import { UnsavedChangesDialog } from "../../components/UnsavedChangesDialog";
import { ControlPanel } from "../../components/ControlPanel";
import { Details, ErrorBox } from "../../components/ErrorBox";
import { Field } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { RecordFallback } from "../../components/RecordFallback";
import { SaveError } from "../../components/SaveError";
import { useToast } from "../../components/Toast";
import { PERMIT_STATUSES } from "../../lib/permitSearch";
import { navigate } from "../../lib/router";
import { useEditForm } from "../../lib/useEditForm";
import { useFormat } from "../../lib/useFormat";
import { ExpiryBadge, StatusBadge } from "./PermitBadges";
import { PermitPicker, type PermitRef } from "./PermitPicker";
import { usePermitLabels } from "./labels";
import { Fact } from "../../components/Fact";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const optionalDate = z.string().refine((v) => v === "" || DATE.test(v), "permits.v.dateInvalid");

const editSchema = z.object({
  status: z.enum(PERMIT_STATUSES as [PermitStatus, ...PermitStatus[]]),
  notes: z.string().max(20000, "permits.v.notesTooLong"),
  expiry_date: optionalDate,
  renewal_of_id: z.number().nullable(),
  renewal_in_progress: z.boolean(),
  snoozed_until: optionalDate,
});
type EditValues = z.infer<typeof editSchema>;
const EDIT_FIELDS = ["status", "notes", "expiry_date", "renewal_of_id", "renewal_in_progress", "snoozed_until"] as const;

function toEditValues(d: PermitDetail): EditValues {
  return {
    status: d.permit.status,
    notes: d.notes,
    expiry_date: d.permit.expiry_date ?? "",
    renewal_of_id: d.renewal_of?.id ?? null,
    renewal_in_progress: d.permit.renewal_in_progress,
    snoozed_until: d.permit.snoozed_until ?? "",
  };
}

function toEdit(v: EditValues): PermitEdit {
  return {
    status: v.status,
    notes: v.notes,
    expiry_date: v.expiry_date || null,
    renewal_of_id: v.renewal_of_id,
    renewal_in_progress: v.renewal_in_progress,
    snoozed_until: v.snoozed_until || null,
  };
}

function listPath(backQuery: string) {
  return backQuery ? `/permits?${backQuery}` : "/permits";
}

/** Opens the form of permit `idParam` ("new" for one entered by hand). */
export function PermitForm({ idParam, backQuery }: { idParam: string; backQuery: string }) {
  const { t } = useTranslation();
  const id = idParam === "new" ? null : Number(idParam);
  const valid = id != null && Number.isInteger(id);
  const permit = usePermit(valid ? id : null);

  if (idParam === "new") return <NewPermitForm backQuery={backQuery} />;
  if (!valid || permit.isError || permit.isPending) {
    const notFound = permit.error instanceof ApiFailure && permit.error.code === "not_found";
    return (
      <RecordFallback
        crumbs={[{ label: t("permits.title"), to: listPath(backQuery) }]}
        idParam={idParam}
        pending={valid && permit.isPending}
        error={permit.isError && !notFound ? permit.error : null}
        onRetry={() => void permit.refetch()}
        notFound={{ icon: "permit", body: t("permits.notFound"), backLabel: t("permits.backToList"), backTo: listPath(backQuery) }}
      />
    );
  }
  return <PermitFormBody key={permit.data.permit.id} detail={permit.data} backQuery={backQuery} />;
}

/** The form field a backend field error belongs to ("renewal_of" is the picker's id). */
function fieldIn<F extends string>(fields: readonly F[]) {
  return (field: string): F | null => {
    const name = field === "renewal_of" ? "renewal_of_id" : field;
    return (fields as readonly string[]).includes(name) ? (name as F) : null;
  };
}

export function PermitFormBody({ detail, backQuery = "" }: { detail: PermitDetail; backQuery?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const l = usePermitLabels();
  const toast = useToast();
  const save = useSavePermit();
  // One line of the history in the user's language; the message carries the value.
  const historyLine = (kind: string, message: string): string => {
    switch (kind) {
      case "synced_new":
      case "synced_update":
      case "notes":
      case "renewed":
      case "created":
        return t(`permits.event.${kind}`);
      case "detail":
        return message ? t("permits.event.detail", { value: l.date(message) }) : t("permits.event.detail_none");
      case "expiry_edited":
        return t("permits.event.expiry_edited", { value: message ? l.date(message) : t("permits.none") });
      case "status":
        return t("permits.event.status", { value: l.status(message as PermitStatus) });
      case "detail_failed":
      case "reminder":
        return t(`permits.event.${kind}`, { value: message });
      default:
        return t("permits.event.other", { value: message || kind });
    }
  };
  const [renewalOf, setRenewalOf] = useState<PermitRef | null>(detail.renewal_of);
  const { form, guard, apiError, setApiError, submit } = useEditForm<EditValues>({
    schema: editSchema,
    defaultValues: toEditValues(detail),
    fieldOf: fieldIn(EDIT_FIELDS),
  });
  const { register, reset, setValue, formState } = form;
  const { errors, isDirty, isSubmitting } = formState;
  const p = detail.permit;

  // A sync or another window changed the permit: show it, unless the user is editing.
  useEffect(() => {
    if (!form.formState.isDirty) {
      reset(toEditValues(detail));
      setRenewalOf(detail.renewal_of);
    }
  }, [detail, reset, form.formState.isDirty]);

  const onSubmit = submit(async (values) => {
    const saved = await save.mutateAsync({ id: p.id, edit: toEdit(values) });
    reset(toEditValues(saved));
    setRenewalOf(saved.renewal_of);
    toast.show(t("permits.savedToast", { permit: saved.permit.permit_number ?? saved.permit.registration_id }));
  });

  const discard = () => {
    reset(toEditValues(detail));
    setRenewalOf(detail.renewal_of);
    setApiError(null);
  };

  const title = p.permit_number ?? p.registration_id;
  const busy = isSubmitting || save.isPending;
  const actions = (
    <>
      <SaveButtons formId="permit-form" busy={busy} dirty={isDirty} onDiscard={discard} saveNeedsChange />
      {isDirty ? <span className="muted small" data-testid="unsaved-mark">{t("permits.unsaved")}</span> : null}
    </>
  );

  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t("permits.title"), to: listPath(backQuery) }, { label: title }]} primary={actions} />
      <div className="content form-layout">
        <div className="form-main">
          <SaveError error={apiError} />
          {detail.detail_error ? (
            <div className="alert alert-warning" role="status" data-testid="detail-error">
              <Icon name="alert" size={18} />
              <div className="alert-body">
                <strong>{t("permits.detailErrorTitle")}</strong>
                <p>{t("permits.detailErrorBody")}</p>
                <Details text={detail.detail_error} />
              </div>
            </div>
          ) : null}

          <form id="permit-form" className="sheet" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="permit-form">
            <div className="permit-head">
              <div>
                <h2 className="permit-title">{title}</h2>
                <div className="muted">
                  {p.applicant}
                  {p.company ? ` · ${p.company}` : ""}
                </div>
              </div>
              <div className="stack-h">
                <ExpiryBadge status={p.expiry_status} daysLeft={p.days_left} />
                <StatusBadge status={p.status} />
              </div>
            </div>
            <fieldset>
              <legend>{t("permits.sectionOffice")}</legend>
              <div className="grid-2">
                <StatusField error={errors.status?.message} input={register("status")} />
                <Field label={l.field("expiry_date")} name="expiry_date" error={errors.expiry_date?.message} hint={p.connection_id != null ? t("permits.expiryHintSynced") : undefined}>
                  <input type="date" data-testid="field-expiry_date" {...register("expiry_date")} />
                </Field>
                <Field label={t("permits.field.renewal_of")} name="renewal_of_id" error={errors.renewal_of_id?.message} hint={t("permits.renewalOfHint")}>
                  <PermitPicker
                    value={renewalOf}
                    excludeId={p.id}
                    testId="field-renewal_of_id"
                    onChange={(v) => {
                      setRenewalOf(v);
                      setValue("renewal_of_id", v?.id ?? null, { shouldDirty: true, shouldValidate: formState.isSubmitted });
                    }}
                  />
                </Field>
                <Field label={t("permits.field.snoozed_until")} name="snoozed_until" error={errors.snoozed_until?.message} hint={t("permits.snoozeHint")}>
                  <input type="date" data-testid="field-snoozed_until" {...register("snoozed_until")} />
                </Field>
                <div className="field field-check span-2" data-field="renewal_in_progress">
                  <label>
                    <input type="checkbox" data-testid="field-renewal_in_progress" {...register("renewal_in_progress")} />
                    {t("permits.field.renewal_in_progress")}
                  </label>
                  {errors.renewal_in_progress?.message ? (
                    <p className="field-error" data-testid="error-renewal_in_progress">
                      {errors.renewal_in_progress.message}
                    </p>
                  ) : (
                    <p className="hint">{t("permits.renewalHint")}</p>
                  )}
                </div>
                <Field label={t("permits.field.notes")} name="notes" error={errors.notes?.message} className="span-2">
                  <textarea rows={4} data-testid="field-notes" {...register("notes")} />
                </Field>
              </div>
              {detail.renewed_by ? (
                <p className="muted">
                  {t("permits.renewedBy")}{" "}
                  <a href={`#/permits/${detail.renewed_by.id}`} data-testid="renewed-by">
                    {detail.renewed_by.label}
                  </a>
                </p>
              ) : null}
            </fieldset>

            <fieldset>
              <legend>{t("permits.sectionSynced")}</legend>
              <dl className="facts facts-wide" data-testid="permit-synced">
                <Fact label={t("permits.col.registration")} value={<span className="mono">{p.registration_id}</span>} />
                <Fact label={t("permits.field.permit_number")} value={p.permit_number ? <span className="mono">{p.permit_number}</span> : null} />
                <Fact label={t("permits.field.applicant")} value={p.applicant} />
                <Fact label={t("permits.field.company")} value={p.company} />
                <Fact label={t("permits.field.npwp")} value={detail.npwp ? <span className="mono">{detail.npwp}</span> : null} />
                <Fact label={t("permits.field.phone")} value={detail.phone} />
                <Fact label={t("permits.field.address")} value={detail.address} />
                <Fact label={t("permits.field.partner")} value={detail.partner?.label} />
                <Fact label={l.field("permit_type")} value={`${p.permit_type_name} · ${l.category(p.category)}`} />
                <Fact label={l.field("connection")} value={p.connection_name ?? t("permits.byHand")} />
                <Fact label={l.field("received_date")} value={l.date(p.received_date)} />
                <Fact label={l.field("issue_date")} value={l.date(p.issue_date)} />
                <Fact label={t("permits.field.remote_status")} value={detail.remote_status} />
                <Fact label={t("permits.col.synced")} value={p.connection_id != null ? f.dateTime(p.last_synced_at) : null} />
              </dl>
            </fieldset>
          </form>
        </div>

        <aside className="form-aside permit-aside">
          <h2 className="section-title">{t("permits.reminders")}</h2>
          {detail.reminders.length === 0 ? (
            <p className="muted small">{t("permits.noReminders")}</p>
          ) : (
            <table className="table table-compact" data-testid="permit-reminders">
              <thead>
                <tr>
                  <th>{t("permits.reminderTier")}</th>
                  <th>{t("permits.reminderState")}</th>
                  <th>{t("permits.reminderAt")}</th>
                </tr>
              </thead>
              <tbody>
                {detail.reminders.map((r) => (
                  <tr key={`${r.tier}-${r.expiry_date}`} title={t("permits.reminderFor", { date: l.date(r.expiry_date) })}>
                    <td className="num">{t("permits.tierDays", { count: r.tier, n: r.tier })}</td>
                    <td>{r.state === "sent" ? t("permits.reminderSent") : <span className="muted">{t("permits.reminderPassed")}</span>}</td>
                    <td className="muted">{f.shortDateTime(r.at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2 className="section-title">{t("permits.history")}</h2>
          {detail.history.length === 0 ? (
            <p className="muted small">{t("permits.noHistory")}</p>
          ) : (
            <ol className="history" data-testid="permit-history">
              {detail.history.map((h, i) => (
                <li key={`${h.at}-${i}`}>
                  <div className="history-head">
                    <strong>{historyLine(h.kind, h.message)}</strong>
                    <span className="muted small" title={f.dateTime(h.at)}>
                      {f.shortDateTime(h.at)}
                    </span>
                  </div>
                </li>
              ))}
            </ol>
          )}
        </aside>
      </div>

      <UnsavedChangesDialog guard={guard} body={t("permits.unsavedBody")} />
    </div>
  );
}

/** The permit's status, as both the edit form and the new-permit form ask for it. */
function StatusField({ error, input }: { error: string | undefined; input: UseFormRegisterReturn<"status"> }) {
  const l = usePermitLabels();
  return (
    <Field label={l.field("status")} name="status" error={error}>
      <select data-testid="field-status" {...input}>
        {PERMIT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {l.status(s)}
          </option>
        ))}
      </select>
    </Field>
  );
}


// ---- a permit entered by hand ----------------------------------------------------------------

const newSchema = z.object({
  applicant: z.string().trim().min(1, "permits.v.applicantRequired").max(200, "permits.v.tooLong"),
  permit_type_name: z.string().trim().min(1, "permits.v.typeRequired").max(200, "permits.v.tooLong"),
  permit_number: z.string().trim().max(100, "permits.v.tooLong"),
  status: z.enum(PERMIT_STATUSES as [PermitStatus, ...PermitStatus[]]),
  expiry_date: optionalDate,
});
type NewValues = z.infer<typeof newSchema>;
const NEW_FIELDS = ["applicant", "permit_type_name", "permit_number", "status", "expiry_date"] as const;

export function NewPermitForm({ backQuery = "" }: { backQuery?: string }) {
  const { t } = useTranslation();
  const l = usePermitLabels();
  const toast = useToast();
  const create = useCreatePermit();
  const types = usePermitTypes();
  const { form, guard, apiError, submit } = useEditForm<NewValues>({
    schema: newSchema,
    defaultValues: { applicant: "", permit_type_name: "", permit_number: "", status: "active", expiry_date: "" },
    fieldOf: fieldIn(NEW_FIELDS),
  });
  const { register, formState } = form;
  const { errors, isSubmitting } = formState;

  const onSubmit = submit(async (v) => {
    const input: NewPermit = {
      applicant: v.applicant.trim(),
      permit_type_name: v.permit_type_name.trim(),
      permit_number: v.permit_number.trim() || null,
      status: v.status,
      expiry_date: v.expiry_date || null,
    };
    const row = await create.mutateAsync(input);
    toast.show(t("permits.created", { permit: row.permit_number ?? row.registration_id }));
    navigate(`/permits/${row.id}${backQuery ? `?${backQuery}` : ""}`, { force: true, replace: true });
  });

  const busy = isSubmitting || create.isPending;
  return (
    <div className="screen">
      <ControlPanel
        crumbs={[{ label: t("permits.title"), to: listPath(backQuery) }, { label: t("permits.newPermit") }]}
        primary={
          <>
            <button type="submit" form="permit-new-form" className="btn btn-primary" disabled={busy} data-testid="btn-save">
              {busy ? t("common.saving") : t("common.save")}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => navigate(listPath(backQuery))}>
              {t("common.cancel")}
            </button>
          </>
        }
      />
      <div className="content">
        <div className="form-main">
          {apiError && (apiError.fields.length > 0 || apiError.code !== "validation") ? <ErrorBox error={new ApiFailure(apiError)} /> : null}
          <form id="permit-new-form" className="sheet" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="permit-form">
            <fieldset>
              <legend>{t("permits.newByHand")}</legend>
              <p className="hint">{t("permits.newHint")}</p>
              <div className="grid-2">
                <Field label={t("permits.field.applicant")} name="applicant" error={errors.applicant?.message} className="span-2">
                  <input type="text" autoFocus autoComplete="off" data-testid="field-applicant" {...register("applicant")} />
                </Field>
                <Field label={l.field("permit_type")} name="permit_type_name" error={errors.permit_type_name?.message}>
                  <input type="text" list="new-permit-types" autoComplete="off" data-testid="field-permit_type_name" {...register("permit_type_name")} />
                </Field>
                <datalist id="new-permit-types">
                  {[...new Set((types.data ?? []).map((x) => x.name))].map((n) => (
                    <option key={n} value={n} />
                  ))}
                </datalist>
                <Field label={t("permits.field.permit_number")} name="permit_number" error={errors.permit_number?.message}>
                  <input type="text" autoComplete="off" data-testid="field-permit_number" {...register("permit_number")} />
                </Field>
                <StatusField error={errors.status?.message} input={register("status")} />
                <Field label={l.field("expiry_date")} name="expiry_date" error={errors.expiry_date?.message}>
                  <input type="date" data-testid="field-expiry_date" {...register("expiry_date")} />
                </Field>
              </div>
            </fieldset>
          </form>
        </div>
      </div>
      <UnsavedChangesDialog guard={guard} body={t("permits.unsavedBody")} />
    </div>
  );
}
