// The partner form's values and rules. The WhatsApp number is checked and normalised to E.164
// by the backend (it knows the numbering plans); here only what is plainly not a phone number.
import { z } from "zod";
import type { PartnerEdit, PartnerRow } from "../../api/types";

export const partnerSchema = z.object({
  name: z.string().trim().min(1, "partners.v.nameRequired").max(120, "partners.v.nameTooLong"),
  whatsapp: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\+?[\d\s().-]+$/.test(v), "partners.v.whatsappChars"),
  opt_in: z.boolean(),
})
  // As the backend: opting in to WhatsApp messages needs a number to send them to.
  .refine((v) => !v.opt_in || v.whatsapp.trim() !== "", { path: ["whatsapp"], message: "partners.v.optInNeedsNumber" });

export type PartnerFormValues = z.input<typeof partnerSchema>;

export const PARTNER_FIELDS = ["name", "whatsapp", "opt_in"] as const;
export type PartnerField = (typeof PARTNER_FIELDS)[number];

export function isPartnerField(name: string): name is PartnerField {
  return (PARTNER_FIELDS as readonly string[]).includes(name);
}

export function toFormValues(p: PartnerRow): PartnerFormValues {
  return { name: p.name, whatsapp: p.whatsapp ?? "", opt_in: p.opt_in };
}

export function toEdit(v: PartnerFormValues): PartnerEdit {
  const whatsapp = v.whatsapp.trim();
  return { name: v.name.trim(), whatsapp: whatsapp === "" ? null : whatsapp, opt_in: v.opt_in };
}
