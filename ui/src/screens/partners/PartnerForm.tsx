// One partner: name, WhatsApp number and opt-in. The backend normalises the number to E.164 and
// answers a field error when it cannot.
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiFailure } from "../../api/client";
import { usePartners, useSavePartner } from "../../api/queries";
import type { PartnerRow } from "../../api/types";
import { SaveButtons } from "../../components/SaveButtons";
import { UnsavedChangesDialog } from "../../components/UnsavedChangesDialog";
import { ControlPanel } from "../../components/ControlPanel";
import { ErrorBox } from "../../components/ErrorBox";
import { Field } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { RecordFallback } from "../../components/RecordFallback";
import { useToast } from "../../components/Toast";
import { navigate } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { useEditForm } from "../../lib/useEditForm";
import { useFormat } from "../../lib/useFormat";
import { isPartnerField, partnerSchema, toEdit, toFormValues, type PartnerFormValues } from "./partnerSchema";
import "./partners.css";

/** The partner from any partner list already loaded, else from the full list. */
function usePartner(id: number) {
  const qc = useQueryClient();
  const cached = qc
    .getQueriesData<PartnerRow[]>({ queryKey: ["permits", "partners"] })
    .flatMap(([, rows]) => rows ?? [])
    .find((p) => p.id === id);
  const all = usePartners(null, cached == null);
  return { row: cached ?? all.data?.find((p) => p.id === id) ?? null, query: all };
}

export function PartnerForm({ idParam }: { idParam: string }) {
  const { t } = useTranslation();
  const { row, query } = usePartner(Number(idParam));
  if (!row) {
    return (
      <RecordFallback
        crumbs={[{ label: t("partners.title"), to: "/partners" }]}
        idParam={idParam}
        pending={query.isPending}
        loading={query.isPending || query.isFetching}
        error={query.isError ? query.error : null}
        onRetry={() => void query.refetch()}
        notFound={{ icon: "partners", body: t("partners.emptyBody"), backLabel: t("partners.title"), backTo: "/partners" }}
      />
    );
  }
  return <PartnerFormBody key={row.id} partner={row} />;
}

export function PartnerFormBody({ partner }: { partner: PartnerRow }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const save = useSavePartner();
  const [current, setCurrent] = useState(partner);
  const { form, guard, apiError, submit } = useEditForm<PartnerFormValues>({
    schema: partnerSchema,
    defaultValues: toFormValues(partner),
    fieldOf: (field) => (isPartnerField(field) ? field : null),
    focusServerErrors: true,
  });
  const { register, formState, reset, watch } = form;
  const { errors, isDirty, isSubmitting } = formState;

  const onSubmit = submit(async (values) => {
    const saved = await save.mutateAsync({ id: partner.id, edit: toEdit(values) });
    setCurrent(saved);
    reset(toFormValues(saved));
    toast.show(
      saved.whatsapp && saved.whatsapp !== values.whatsapp.trim()
        ? t("partners.savedNormalised", { name: saved.name, number: saved.whatsapp })
        : t("partners.savedToast", { name: saved.name }),
    );
  });

  const optIn = watch("opt_in");
  const whatsapp = watch("whatsapp");
  const busy = isSubmitting || save.isPending;
  // The stored problem only describes the stored number: hide it once the user types another.
  const showProblem = current.whatsapp_problem != null && !errors.whatsapp && whatsapp === (current.whatsapp ?? "");

  const actions = <SaveButtons formId="partner-form" busy={busy} dirty={isDirty} onDiscard={() => reset(toFormValues(current))} />;

  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t("partners.title"), to: "/partners" }, { label: current.name }]} primary={actions} />
      <div className="content form-layout">
        <div className="form-main">
          {apiError ? <ErrorBox error={new ApiFailure(apiError)} hideFields={apiError.fields.length === 0} /> : null}
          <form id="partner-form" className="sheet" onSubmit={onSubmit} noValidate>
            <fieldset>
              <legend>{t("partners.sectionContact")}</legend>
              <div className="grid-2">
                <Field label={t("partners.colName")} name="name" error={errors.name?.message} className="span-2">
                  <input type="text" autoComplete="off" data-testid="field-name" {...register("name")} />
                </Field>
                <Field
                  label={t("partners.colWhatsapp")}
                  name="whatsapp"
                  error={errors.whatsapp?.message}
                  hint={t("partners.whatsappHint")}
                >
                  <input
                    type="tel"
                    inputMode="tel"
                    autoComplete="off"
                    spellCheck={false}
                    placeholder="+62 812 3456 7890"
                    data-testid="field-whatsapp"
                    {...register("whatsapp")}
                  />
                </Field>
                <div className="field field-check" data-field="opt_in">
                  <span className="label">{t("partners.colOptIn")}</span>
                  <label className="check">
                    <input type="checkbox" data-testid="field-opt_in" {...register("opt_in")} />
                    {t("partners.optInLabel")}
                  </label>
                  {errors.opt_in?.message ? (
                    <p className="field-error" data-testid="error-opt_in">
                      {errors.opt_in.message}
                    </p>
                  ) : (
                    <p className="hint">
                      {current.opt_changed_at
                        ? t(current.opt_in ? "partners.optedInAt" : "partners.optedOutAt", { date: f.dateTime(current.opt_changed_at) })
                        : t("partners.optInHint")}
                    </p>
                  )}
                  {optIn && whatsapp.trim() === "" ? <p className="hint text-warning">{t("partners.optInNoNumber")}</p> : null}
                </div>
              </div>
              {showProblem ? (
                <div className="alert alert-warning whatsapp-problem" role="status" data-testid="whatsapp-problem">
                  <Icon name="alert" size={16} />
                  <div className="alert-body">
                    <strong>{t("partners.problemTitle")}</strong>
                    <p>
                      {current.phone
                        ? t("partners.problemBody", { phone: current.phone, problem: current.whatsapp_problem })
                        : current.whatsapp_problem}
                    </p>
                  </div>
                </div>
              ) : null}
            </fieldset>
          </form>
        </div>
        <aside className="form-aside" aria-label={t("partners.fromPermitOffice")}>
          <h2 className="section-title">{t("partners.fromPermitOffice")}</h2>
          <dl className="facts">
            <div>
              <dt>{t("partners.colCompany")}</dt>
              <dd>{current.company ?? t("common.notAvailable")}</dd>
            </div>
            <div>
              <dt>{t("partners.colPhone")}</dt>
              <dd className="mono">{current.phone ?? t("common.notAvailable")}</dd>
            </div>
            <div>
              <dt>{t("partners.colPermits")}</dt>
              <dd className="num">{f.number(current.permit_count)}</dd>
            </div>
          </dl>
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => navigate(permitLinks.search(current.name))}
            data-testid="btn-partner-permits"
          >
            <Icon name="permit" size={12} />
            {t("partners.openPermits")}
          </button>
        </aside>
      </div>

      <UnsavedChangesDialog guard={guard} body={t("partners.unsavedBody")} />
    </div>
  );
}
