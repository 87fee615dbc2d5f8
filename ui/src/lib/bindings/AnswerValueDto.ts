export type AnswerValueDto = "yes" | "no" | "not_applicable" | "unanswered";
