// One permit type: its category and its reminder ladder. Name and code come from the permit
// office and are not edited here.
import { useFieldArray } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { ApiFailure } from "../../api/client";
import { usePermitTypes, useSavePermitType } from "../../api/queries";
import type { PermitTypeRow } from "../../api/types";
import { SaveButtons } from "../../components/SaveButtons";
import { UnsavedChangesDialog } from "../../components/UnsavedChangesDialog";
import { ControlPanel } from "../../components/ControlPanel";
import { ErrorBox } from "../../components/ErrorBox";
import { Field, useMessage } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { RecordFallback } from "../../components/RecordFallback";
import { useToast } from "../../components/Toast";
import { navigate } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { useEditForm } from "../../lib/useEditForm";
import { useFormat } from "../../lib/useFormat";
import { CategoryBadge, useLadderText } from "./PermitTypesList";
import {
  MAX_LADDER_DAYS,
  MAX_LADDER_STEPS,
  permitTypeSchema,
  toEdit,
  toFormValues,
  type PermitTypeFormValues,
} from "./permitTypeSchema";
import "./permitTypes.css";

export function PermitTypeForm({ idParam }: { idParam: string }) {
  const { t } = useTranslation();
  const types = usePermitTypes();
  const row = types.data?.find((r) => r.id === Number(idParam));
  if (!row) {
    return (
      <RecordFallback
        crumbs={[{ label: t("permitTypes.title"), to: "/permit-types" }]}
        idParam={idParam}
        pending={types.isPending}
        error={types.isError ? types.error : null}
        onRetry={() => void types.refetch()}
        notFound={{ icon: "permitType", body: t("permitTypes.emptyBody"), backLabel: t("permitTypes.title"), backTo: "/permit-types" }}
      />
    );
  }
  return <PermitTypeFormBody key={row.id} row={row} />;
}

export function PermitTypeFormBody({ row }: { row: PermitTypeRow }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const msg = useMessage();
  const save = useSavePermitType();
  const ladderText = useLadderText();
  const { form, guard, apiError, submit } = useEditForm<PermitTypeFormValues>({
    schema: permitTypeSchema,
    defaultValues: toFormValues(row),
    // "ladder", "ladder.2" or "ladder[2]" all belong to the ladder.
    fieldOf: (field) => (field === "category" ? "category" : field.startsWith("ladder") ? "ladder" : null),
  });
  const { register, control, formState, reset, watch } = form;
  const { errors, isDirty, isSubmitting } = formState;
  const steps = useFieldArray({ control, name: "ladder" });

  const onSubmit = submit(async (values) => {
    const saved = await save.mutateAsync({ id: row.id, edit: toEdit(values) });
    reset(toFormValues(saved));
    toast.show(t("permitTypes.savedToast", { name: saved.name }));
  });

  const ladder = watch("ladder");
  const preview = (ladder ?? []).map((s) => s.days).filter((d) => Number.isInteger(d) && d > 0);
  const ladderError = errors.ladder?.message ?? errors.ladder?.root?.message;
  const busy = isSubmitting || save.isPending;

  const actions = <SaveButtons formId="permit-type-form" busy={busy} dirty={isDirty} onDiscard={() => reset(toFormValues(row))} />;

  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t("permitTypes.title"), to: "/permit-types" }, { label: row.name }]} primary={actions} />
      <div className="content form-layout">
        <div className="form-main">
          {apiError ? <ErrorBox error={new ApiFailure(apiError)} hideFields={apiError.fields.length === 0} /> : null}
          <form id="permit-type-form" className="sheet" onSubmit={onSubmit} noValidate>
            <fieldset>
              <legend>{t("permitTypes.sectionGeneral")}</legend>
              <dl className="facts facts-wide">
                <div>
                  <dt>{t("permitTypes.colName")}</dt>
                  <dd data-testid="permit-type-name">{row.name}</dd>
                </div>
                <div>
                  <dt>{t("permitTypes.colCode")}</dt>
                  <dd className="mono">{row.code ?? t("common.notAvailable")}</dd>
                </div>
                <div>
                  <dt>{t("permitTypes.colConnection")}</dt>
                  <dd>{row.connection_name ?? t("permitTypes.byHand")}</dd>
                </div>
              </dl>
              <div className="grid-2">
                <Field label={t("permitTypes.colCategory")} name="category" hint={t("permitTypes.categoryHint")} error={errors.category?.message}>
                  <select data-testid="field-category" {...register("category")}>
                    <option value="permit">{t("permitTypes.category.permit")}</option>
                    <option value="certificate">{t("permitTypes.category.certificate")}</option>
                  </select>
                </Field>
              </div>
            </fieldset>

            <fieldset className={`ladder${ladderError ? " has-error" : ""}`} data-testid="field-ladder" data-field="ladder" aria-describedby="ladder-help">
              <legend>{t("permitTypes.ladder")}</legend>
              <p className="hint" id="ladder-help">
                {t("permitTypes.ladderHint", { max: MAX_LADDER_STEPS })}
              </p>
              <ol className="ladder-steps">
                {steps.fields.map((step, i) => {
                  const err = errors.ladder?.[i]?.days?.message;
                  return (
                    <li key={step.id} className={`ladder-step${err ? " has-error" : ""}`}>
                      <Field
                        label={t("permitTypes.stepLabel", { n: i + 1 })}
                        name={`ladder-${i}`}
                        unit={t("permitTypes.daysBefore")}
                        error={err}
                        after={
                          <button
                            type="button"
                            className="btn-icon"
                            onClick={() => steps.remove(i)}
                            aria-label={t("permitTypes.removeStep", { n: i + 1 })}
                            title={t("permitTypes.removeStep", { n: i + 1 })}
                            data-testid={`btn-remove-step-${i}`}
                          >
                            <Icon name="trash" size={14} />
                          </button>
                        }
                      >
                        <input
                          type="number"
                          min={1}
                          max={MAX_LADDER_DAYS}
                          step={1}
                          inputMode="numeric"
                          className="num"
                          data-testid={`field-ladder-${i}`}
                          {...register(`ladder.${i}.days`, { valueAsNumber: true })}
                        />
                      </Field>
                    </li>
                  );
                })}
              </ol>
              {ladderError ? (
                <p className="field-error" role="alert" data-testid="error-ladder">
                  {msg(ladderError)}
                </p>
              ) : null}
              <div className="ladder-actions">
                <button
                  type="button"
                  className="btn btn-secondary btn-sm"
                  onClick={() => steps.append({ days: NaN }, { shouldFocus: true })}
                  disabled={steps.fields.length >= MAX_LADDER_STEPS}
                  data-testid="btn-add-step"
                >
                  <Icon name="plus" size={12} />
                  {t("permitTypes.addStep")}
                </button>
                {steps.fields.length >= MAX_LADDER_STEPS ? <span className="hint">{t("permitTypes.v.ladderTooLong")}</span> : null}
              </div>
              <p className="ladder-preview" data-testid="ladder-preview">
                {preview.length > 0
                  ? t("permitTypes.preview", { days: ladderText(preview) })
                  : t("permitTypes.noReminders")}
              </p>
            </fieldset>
          </form>
        </div>
        <aside className="form-aside" aria-label={t("permitTypes.statistics")}>
          <h2 className="section-title">{t("permitTypes.statistics")}</h2>
          <dl className="facts">
            <div>
              <dt>{t("permitTypes.colCategory")}</dt>
              <dd>
                <CategoryBadge category={row.category} />
              </dd>
            </div>
            <div>
              <dt>{t("permitTypes.colPermits")}</dt>
              <dd className="num">{f.number(row.permit_count)}</dd>
            </div>
          </dl>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => navigate(permitLinks.ofType(row.name))} data-testid="btn-type-permits">
            <Icon name="permit" size={12} />
            {t("permitTypes.openPermits")}
          </button>
        </aside>
      </div>

      <UnsavedChangesDialog guard={guard} body={t("permitTypes.unsavedBody")} />
    </div>
  );
}
