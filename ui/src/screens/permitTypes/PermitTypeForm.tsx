// One permit type: its category and its reminder ladder. Name and code come from the permit
// office and are not edited here.
import { useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslation } from "react-i18next";
import { ApiFailure, toFailure } from "../../api/client";
import { usePermitTypes, useSavePermitType } from "../../api/queries";
import type { ApiError, PermitTypeRow } from "../../api/types";
import { SaveButtons } from "../../components/SaveButtons";
import { UnsavedChangesDialog } from "../../components/UnsavedChangesDialog";
import { ControlPanel } from "../../components/ControlPanel";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { Field, useMessage } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { useToast } from "../../components/Toast";
import { navigate, useLeaveGuard } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
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
  const crumbs = [{ label: t("permitTypes.title"), to: "/permit-types" }];
  const id = Number(idParam);
  const row = types.data?.find((r) => r.id === id);

  if (!row) {
    return (
      <div className="screen">
        <ControlPanel crumbs={[...crumbs, { label: types.isPending ? "…" : idParam }]} />
        <div className="content">
          {types.isPending ? (
            <p className="muted">{t("common.loading")}</p>
          ) : types.isError ? (
            <ErrorBox error={types.error} onRetry={() => void types.refetch()} />
          ) : (
            <EmptyState icon="permitType" title={t("errors.code.not_found")} body={t("permitTypes.emptyBody")}>
              <button type="button" className="btn btn-secondary" onClick={() => navigate("/permit-types")}>
                {t("permitTypes.title")}
              </button>
            </EmptyState>
          )}
        </div>
      </div>
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
  const [apiError, setApiError] = useState<ApiError | null>(null);

  const form = useForm<PermitTypeFormValues>({
    resolver: zodResolver(permitTypeSchema),
    defaultValues: toFormValues(row),
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const { register, handleSubmit, control, formState, reset, setError, watch } = form;
  const { errors, isDirty, isSubmitting } = formState;
  const steps = useFieldArray({ control, name: "ladder" });
  const guard = useLeaveGuard(isDirty && !isSubmitting);

  const showFailure = (e: unknown) => {
    const err = (e instanceof ApiFailure ? e : toFailure(e)).error;
    const unplaced = err.fields.filter((fe) => {
      // "ladder", "ladder.2" or "ladder[2]" all belong to the ladder.
      if (fe.field === "category") {
        setError("category", { type: "server", message: fe.message });
        return false;
      }
      if (fe.field.startsWith("ladder")) {
        setError("ladder", { type: "server", message: fe.message });
        return false;
      }
      return true;
    });
    setApiError({ ...err, fields: unplaced });
  };

  const onSubmit = handleSubmit(async (values) => {
    setApiError(null);
    try {
      const saved = await save.mutateAsync({ id: row.id, edit: toEdit(values) });
      reset(toFormValues(saved));
      toast.show(t("permitTypes.savedToast", { name: saved.name }));
    } catch (e) {
      showFailure(e);
    }
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
