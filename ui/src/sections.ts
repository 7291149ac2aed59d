import type { IconName } from "./components/Icon";

export type SectionId =
  | "dashboard"
  | "permits"
  | "permit-types"
  | "partners"
  | "notes"
  | "einvoices"
  | "responses"
  | "retry-queue"
  | "sync"
  | "connections"
  | "settings";

export type Section = {
  id: SectionId;
  icon: IconName;
  label:
    | "nav.dashboard"
    | "nav.permits"
    | "nav.permitTypes"
    | "nav.partners"
    | "nav.notes"
    | "nav.einvoices"
    | "nav.responses"
    | "nav.retryQueue"
    | "nav.sync"
    | "nav.connections"
    | "nav.settings";
  group: "work" | "system";
};

export const SECTIONS: Section[] = [
  { id: "dashboard", icon: "dashboard", label: "nav.dashboard", group: "work" },
  { id: "permits", icon: "permit", label: "nav.permits", group: "work" },
  { id: "permit-types", icon: "permitType", label: "nav.permitTypes", group: "work" },
  { id: "partners", icon: "partners", label: "nav.partners", group: "work" },
  { id: "notes", icon: "notes", label: "nav.notes", group: "work" },
  { id: "einvoices", icon: "einvoice", label: "nav.einvoices", group: "work" },
  { id: "responses", icon: "responses", label: "nav.responses", group: "work" },
  { id: "retry-queue", icon: "retry", label: "nav.retryQueue", group: "work" },
  { id: "sync", icon: "sync", label: "nav.sync", group: "system" },
  { id: "connections", icon: "connections", label: "nav.connections", group: "system" },
  { id: "settings", icon: "settings", label: "nav.settings", group: "system" },
];

export function sectionOf(parts: string[]): SectionId {
  const first = parts[0];
  return (SECTIONS.find((s) => s.id === first)?.id ?? "dashboard") as SectionId;
}
