/** The stream a service's events land in. */
import type { FieldModel, ServiceModel } from "@eda/language";

const STREAM_TYPES = new Set(["string", "uuid", "email", "url", "int", "date", "timestamp"]);

/**
 * The field a service's stream is keyed by: the first field of its first command that every
 * command carries, required and of the same scalar type (`orderId` for the shop's Mailer), so
 * events about one order land in one stream — never a `@pii` field, as stream ids appear in
 * logs and traces. None: the service has a single stream.
 */
export function serviceStreamField(s: ServiceModel): string | undefined {
  const [first, ...rest] = s.handlers.map((h) => h.command.fields);
  const same = (a: FieldModel, b: FieldModel | undefined): boolean => b !== undefined && !b.optional && b.type.kind === "scalar" && a.type.kind === "scalar" && a.type.name === b.type.name;
  const field = first?.find((f) => !f.optional && !f.pii && f.type.kind === "scalar" && STREAM_TYPES.has(f.type.name) && rest.every((fs) => same(f, fs.find((g) => g.name === f.name))));
  return field?.name;
}
