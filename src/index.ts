export * from './validation/validator';
export { toStrictSchema, StrictSchemaOptions, JsonSchema } from './validation/structural';
