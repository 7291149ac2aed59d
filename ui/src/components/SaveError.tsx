// The error a form shows above itself after Save (or Test) failed. When the backend's only
// complaints were about fields, and those messages now stand next to their fields, a short
// "fix the fields below" takes the place of the full error box.
import { useTranslation } from "react-i18next";
import { ApiFailure } from "../api/client";
import type { ApiError } from "../api/types";
import { ErrorBox } from "./ErrorBox";
import { Icon } from "./Icon";

export function SaveError({ error }: { error: ApiError | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error.fields.length > 0 || error.code !== "validation") return <ErrorBox error={new ApiFailure(error)} />;
  return (
    <div className="alert alert-critical" role="alert">
      <Icon name="alert" size={18} />
      <div className="alert-body">
        <strong>{t("form.fixFields")}</strong>
      </div>
    </div>
  );
}
