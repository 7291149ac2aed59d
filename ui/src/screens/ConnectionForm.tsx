import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiFailure, call, toFailure } from "../api/client";
import { useConnections, useDeleteConnection, useSaveConnection } from "../api/queries";
import type { ApiError, Connection, ConnectionKind, TestOutcome } from "../api/types";
import { UnsavedChangesDialog } from "../components/UnsavedChangesDialog";
import { ControlPanel } from "../components/ControlPanel";
import { ConfirmDialog } from "../components/Dialog";
import { ErrorBox } from "../components/ErrorBox";
import { Field } from "../components/Field";
import { Icon } from "../components/Icon";
import { RecordFallback } from "../components/RecordFallback";
import { SaveError } from "../components/SaveError";
import { TestResult } from "../components/TestResult";
import { useToast } from "../components/Toast";
import { navigate } from "../lib/router";
import { useEditForm } from "../lib/useEditForm";
import { useFormat } from "../lib/useFormat";
import {
  connectionSchema,
  defaultValues,
  isFormField,
  toFormValues,
  toInput,
  type ConnectionFormValues,
} from "./connectionSchema";

/** Opens the form for "new" or a connection id. */
export function ConnectionForm({ idParam }: { idParam: string }) {
  const { t } = useTranslation();
  const connections = useConnections();

  if (idParam === "new") return <ConnectionFormBody connection={null} />;

  // A failed reload shows its error even over a connection loaded before (as it always has).
  const connection = connections.isError ? undefined : connections.data?.find((c) => c.id === Number(idParam));
  if (!connection) {
    return (
      <RecordFallback
        crumbs={[{ label: t("connections.title"), to: "/connections" }]}
        idParam={idParam}
        pending={connections.isPending}
        error={connections.isError ? connections.error : null}
        onRetry={() => void connections.refetch()}
        notFound={{ icon: "connections", body: t("connections.emptyBody"), backLabel: t("connections.title"), backTo: "/connections" }}
      />
    );
  }
  return <ConnectionFormBody connection={connection} />;
}

const SECRET_LABEL: Record<ConnectionKind, "form.secretOptionalApiKey" | "form.secretPasswordOrKey" | "form.secretPassword"> = {
  sicantik: "form.secretOptionalApiKey",
  odoo: "form.secretPasswordOrKey",
  hacienda: "form.secretPassword",
};

const SECRET_HINT: Record<ConnectionKind, "form.secretHintSicantik" | "form.secretHintOdoo" | "form.secretHintHacienda"> = {
  sicantik: "form.secretHintSicantik",
  odoo: "form.secretHintOdoo",
  hacienda: "form.secretHintHacienda",
};

const URL_HINT: Record<ConnectionKind, "form.baseUrlHintSicantik" | "form.baseUrlHintOdoo" | "form.baseUrlHintHacienda"> = {
  sicantik: "form.baseUrlHintSicantik",
  odoo: "form.baseUrlHintOdoo",
  hacienda: "form.baseUrlHintHacienda",
};

export function ConnectionFormBody({ connection }: { connection: Connection | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const save = useSaveConnection();
  const remove = useDeleteConnection();
  const [testing, setTesting] = useState(false);
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const [testError, setTestError] = useState<ApiError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  const { form, guard, apiError, setApiError, showFailure, submit } = useEditForm<ConnectionFormValues>({
    schema: connectionSchema,
    defaultValues: connection ? toFormValues(connection) : defaultValues(),
    fieldOf: (field) => (isFormField(field) ? field : null),
  });
  const { register, watch, setValue, reset, formState, getValues, trigger } = form;
  const { errors, isSubmitting } = formState;

  const kind = watch("kind");
  const protocol = watch("protocol");
  const secretMode = watch("secret_mode");
  const hasSecret = watch("has_secret");
  const id = connection?.id ?? null;

  // Which fields are required depends on kind and protocol: re-check them when those change.
  const { isSubmitted } = formState;
  const shape = `${kind}/${protocol}`;
  const lastShape = useRef(shape);
  useEffect(() => {
    if (lastShape.current === shape) return;
    lastShape.current = shape;
    if (isSubmitted) void trigger(["database", "username"]);
  }, [shape, isSubmitted, trigger]);

  const onSubmit = submit(async (values) => {
    const saved = await save.mutateAsync(toInput(values, id));
    reset(toFormValues(saved));
    toast.show(t("form.savedToast", { name: saved.name }));
    if (id == null) navigate(`/connections/${saved.id}`, { force: true, replace: true });
  });

  const onTest = async () => {
    setApiError(null);
    setTestError(null);
    setOutcome(null);
    if (!(await trigger())) return;
    setTesting(true);
    try {
      setOutcome(await call("test_connection_draft", { input: toInput(getValues(), id) }));
    } catch (e) {
      const err = (e instanceof ApiFailure ? e : toFailure(e)).error;
      if (err.code === "validation") showFailure(e);
      else setTestError(err);
    } finally {
      setTesting(false);
    }
  };

  const onDelete = async () => {
    if (!connection) return;
    try {
      await remove.mutateAsync(connection.id);
      setConfirmDelete(false);
      toast.show(t("form.deletedToast", { name: connection.name }));
      navigate("/connections", { force: true });
    } catch (e) {
      setConfirmDelete(false);
      showFailure(e);
    }
  };

  // Bring the answer of "Test connection" into view: on a long form it lands below the fold.
  useEffect(() => {
    if (outcome || testError) resultRef.current?.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
  }, [outcome, testError]);

  const setSecretMode = (mode: "keep" | "replace" | "remove") => {
    setValue("secret_mode", mode, { shouldDirty: true });
    setValue("secret", "", { shouldDirty: mode !== "keep" });
    form.clearErrors("secret");
    if (mode === "keep" && connection) {
      // Back to what is stored: this part of the form is no longer a change.
      reset({ ...getValues(), secret_mode: "keep", secret: "" }, { keepDefaultValues: true });
    }
  };

  const name = watch("name");
  const title = connection ? connection.name : name.trim() || t("form.newTitle");
  const busy = isSubmitting || save.isPending;

  const actions = (
    <>
      <button type="submit" form="connection-form" className="btn btn-primary" disabled={busy} data-testid="btn-save">
        {busy ? t("common.saving") : t("form.save")}
      </button>
      <button type="button" className="btn btn-secondary" onClick={() => void onTest()} disabled={testing} data-testid="btn-test">
        <Icon name="connections" />
        {testing ? t("connections.testing") : t("form.testConnection")}
      </button>
      {connection ? (
        <button type="button" className="btn btn-ghost-danger" onClick={() => setConfirmDelete(true)} data-testid="btn-delete">
          <Icon name="trash" />
          {t("form.delete")}
        </button>
      ) : null}
    </>
  );

  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t("connections.title"), to: "/connections" }, { label: title }]} primary={actions} />
      <div className="content form-layout">
        <div className="form-main">
          {/* A keyring that does not work shows as its own banner (ErrorBox). */}
          <SaveError error={apiError} />

          <form id="connection-form" className="sheet" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="connection-form">
            <fieldset>
              <legend>{t("form.sectionGeneral")}</legend>
              <div className="grid-2">
                <Field label={t("form.name")} name="name" error={errors.name?.message}>
                  <input type="text" autoComplete="off" placeholder={t("form.namePlaceholder")} data-testid="field-name" {...register("name")} />
                </Field>
                <Field label={t("form.kind")} name="kind" hint={t(`kindHint.${kind}`)} error={errors.kind?.message}>
                  <select data-testid="field-kind" disabled={connection != null} {...register("kind")}>
                    {(["sicantik", "odoo", "hacienda"] as const).map((k) => (
                      <option key={k} value={k}>
                        {t(`kind.${k}`)}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t("form.baseUrl")} name="base_url" hint={t(URL_HINT[kind])} error={errors.base_url?.message} className="span-2">
                  <input type="url" inputMode="url" autoComplete="url" spellCheck={false} data-testid="field-base_url" {...register("base_url")} />
                </Field>
                <Field label={t("form.environment")} name="environment" error={errors.environment?.message}>
                  <select data-testid="field-environment" {...register("environment")}>
                    <option value="production">{t("environment.production")}</option>
                    <option value="staging">{t("environment.staging")}</option>
                  </select>
                </Field>
                <div className="field field-check" data-field="active">
                  <label>
                    <input type="checkbox" data-testid="field-active" {...register("active")} />
                    {t("form.active")}
                  </label>
                  <p className="hint">{t("form.activeHint")}</p>
                </div>
              </div>
            </fieldset>

            <fieldset>
              <legend>{t("form.sectionLogin")}</legend>
              <div className="grid-2">
                {kind === "odoo" ? (
                  <>
                    <Field label={t("form.protocol")} name="protocol" hint={t("form.protocolHint")} error={errors.protocol?.message}>
                      <select data-testid="field-protocol" {...register("protocol")}>
                        {(["jsonrpc", "xmlrpc", "json2"] as const).map((p) => (
                          <option key={p} value={p}>
                            {t(`protocol.${p}`)}
                          </option>
                        ))}
                      </select>
                    </Field>
                    <Field label={t("form.database")} name="database" hint={t("form.databaseHint")} error={errors.database?.message}>
                      <input type="text" autoComplete="off" spellCheck={false} data-testid="field-database" {...register("database")} />
                    </Field>
                  </>
                ) : null}
                {kind !== "sicantik" ? (
                  <Field
                    label={kind === "hacienda" ? t("form.apiUser") : t("form.username")}
                    name="username"
                    hint={kind === "hacienda" ? t("form.apiUserHint") : t("form.usernameOdooHint")}
                    error={errors.username?.message}
                    className={kind === "hacienda" ? "span-2" : undefined}
                  >
                    <input type="text" autoComplete="off" spellCheck={false} data-testid="field-username" {...register("username")} />
                  </Field>
                ) : null}
                <SecretField
                  label={kind === "odoo" && protocol === "json2" ? t("form.secretApiKey") : t(SECRET_LABEL[kind])}
                  hint={t(SECRET_HINT[kind])}
                  error={errors.secret?.message}
                  mode={secretMode}
                  hasSecret={hasSecret}
                  onMode={setSecretMode}
                  input={<input type="password" autoComplete="new-password" spellCheck={false} data-testid="field-secret" {...register("secret")} />}
                />
              </div>
            </fieldset>

            <fieldset>
              <legend>{t("form.sectionLimits")}</legend>
              <div className="grid-3">
                <Field label={t("form.timeout")} name="timeout_ms" unit={t("form.timeoutUnit")} error={errors.timeout_ms?.message}>
                  <input type="number" min={1} max={300} step="any" className="num" data-testid="field-timeout_ms" {...register("timeout_ms", { valueAsNumber: true })} />
                </Field>
                <Field label={t("form.rateLimit")} name="rate_limit_per_sec" unit={t("form.rateUnit")} hint={t("form.rateHint")} error={errors.rate_limit_per_sec?.message}>
                  <input type="number" min={0} max={1000} step="any" className="num" data-testid="field-rate_limit_per_sec" {...register("rate_limit_per_sec", { valueAsNumber: true })} />
                </Field>
                <Field label={t("form.maxConcurrent")} name="max_concurrent" hint={t("form.maxConcurrentHint")} error={errors.max_concurrent?.message}>
                  <input type="number" min={1} max={64} step={1} className="num" data-testid="field-max_concurrent" {...register("max_concurrent", { valueAsNumber: true })} />
                </Field>
              </div>
            </fieldset>
          </form>

          <div ref={resultRef}>{outcome ? <TestResult outcome={outcome} /> : null}</div>
          {testError ? <ErrorBox error={new ApiFailure(testError)} /> : null}
        </div>

        {connection ? (
          <aside className="form-aside" aria-label={t("form.statistics")}>
            <h2 className="section-title">{t("form.statistics")}</h2>
            <dl className="facts">
              <div>
                <dt>{t("connections.colRequests")}</dt>
                <dd className="num">{f.number(connection.stats.requests)}</dd>
              </div>
              <div>
                <dt>{t("connections.colErrors")}</dt>
                <dd className="num">{f.number(connection.stats.errors)}</dd>
              </div>
              <div>
                <dt>{t("connections.colLastSync")}</dt>
                <dd title={f.dateTime(connection.stats.last_sync_at)}>
                  {connection.stats.last_sync_at ? f.relative(connection.stats.last_sync_at) : t("common.never")}
                </dd>
              </div>
              <div>
                <dt>{t("form.lastDuration")}</dt>
                <dd className="num">
                  {connection.stats.last_duration_ms != null ? f.ms(connection.stats.last_duration_ms) : t("common.notAvailable")}
                </dd>
              </div>
              <div>
                <dt>{t("form.created")}</dt>
                <dd>{f.dateTime(connection.created_at)}</dd>
              </div>
              <div>
                <dt>{t("form.updated")}</dt>
                <dd>{f.dateTime(connection.updated_at)}</dd>
              </div>
            </dl>
            <a className="link" href={`#/sync/log?connection=${connection.id}`} onClick={(e) => {
              e.preventDefault();
              navigate(`/sync/log/${connection.id}`);
            }}>
              {t("dashboard.viewLog")}
            </a>
          </aside>
        ) : null}
      </div>

      {confirmDelete && connection ? (
        <ConfirmDialog
          title={t("form.deleteTitle")}
          body={t("form.deleteBody", { name: connection.name })}
          confirmLabel={t("form.deleteConfirm")}
          cancelLabel={t("common.cancel")}
          danger
          busy={remove.isPending}
          onConfirm={() => void onDelete()}
          onCancel={() => setConfirmDelete(false)}
          testId="dialog-delete"
        />
      ) : null}

      <UnsavedChangesDialog guard={guard} body={t("form.unsavedBody")} />
    </div>
  );
}

function SecretField({
  label,
  hint,
  error,
  mode,
  hasSecret,
  onMode,
  input,
}: {
  label: string;
  hint: string;
  error?: string;
  mode: "keep" | "replace" | "remove";
  hasSecret: boolean;
  onMode: (m: "keep" | "replace" | "remove") => void;
  input: React.ReactElement<Record<string, unknown>>;
}) {
  const { t } = useTranslation();
  if (hasSecret && mode === "keep") {
    return (
      <div className="field span-2" data-field="secret">
        <span className="label">{label}</span>
        <div className="secret-stored" data-testid="secret-stored">
          <Icon name="key" />
          <span>{t("form.secretStored")}</span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => onMode("replace")} data-testid="btn-secret-replace">
            {t("form.secretReplace")}
          </button>
          <button type="button" className="btn btn-ghost-danger btn-sm" onClick={() => onMode("remove")} data-testid="btn-secret-remove">
            {t("form.secretRemove")}
          </button>
        </div>
        <p className="hint">{t("form.secretNeverShown")}</p>
      </div>
    );
  }
  if (hasSecret && mode === "remove") {
    return (
      <div className="field span-2" data-field="secret">
        <span className="label">{label}</span>
        <div className="secret-stored secret-removing" data-testid="secret-removing">
          <Icon name="trash" />
          <span>{t("form.secretWillRemove")}</span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => onMode("keep")}>
            {t("form.secretUndo")}
          </button>
        </div>
      </div>
    );
  }
  return (
    <Field
      label={label}
      name="secret"
      hint={`${hint} ${t("form.secretNeverShown")}`}
      error={error}
      className="span-2"
      after={
        hasSecret ? (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => onMode("keep")}>
            {t("form.secretKeep")}
          </button>
        ) : null
      }
    >
      {input}
    </Field>
  );
}
