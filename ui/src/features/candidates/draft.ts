import type { Candidate, CandidateDraft } from "../../api/bindings";

/** The edit form's values for a stored candidate (every field as text, as typed). */
export function draftOfCandidate(c: Candidate | null): CandidateDraft {
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? "" : String(v));
  const month = (v: string | null | undefined) => (v ? (v.endsWith("-01") ? v.slice(0, 7) : v) : "");
  return {
    name: text(c?.name),
    id_type: text(c?.id_type),
    id_number: text(c?.id_number),
    sex: text(c?.sex),
    birth_date: text(c?.birth_date),
    phone: text(c?.phone),
    ethnicity: text(c?.ethnicity),
    education: text(c?.education),
    employer: text(c?.employer),
    address: text(c?.address),
    years_in_occupation: text(c?.years_in_occupation),
    source: text(c?.source),
    prior_cert_name: text(c?.prior_cert_name),
    prior_cert_level: text(c?.prior_cert_level),
    prior_cert_number: text(c?.prior_cert_number),
    prior_cert_date: text(c?.prior_cert_date),
    major: text(c?.major),
    school: text(c?.school),
    // Stored as the first of the month when only a month was given: shown as the month.
    graduated_on: month(c?.graduated_on),
    work_started_on: month(c?.work_started_on),
    title: text(c?.title),
  };
}
