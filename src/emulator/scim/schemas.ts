// The directory's resource schemas, built on SCIMMY's RFC 7643 definitions (core User with the enterprise extension,
// core Group). They are private copies: SCIMMY's own `SCIMMY.Schemas.*` definitions are process-wide and mutable
// (`extend`), so the emulator never touches them, and another SCIMMY user in the same process (a second SCIM peer
// in a test) is not affected. Two deliberate differences from SCIMMY's strict definitions:
//   - no `canonicalValues`: RFC 7643 §7 lets a service provider accept values other than the canonical ones, IdPs
//     send other `type` labels, and SCIMMY would refuse such a resource outright;
//   - Group `members.$ref` is dropped from input by the emulator (scim/validate.ts), since SCIMMY refuses absolute
//     URLs there and the emulator writes its own `$ref` on output.

import SCIMMY from 'scimmy';
import { SCIM_SCHEMAS } from '../../clients/wire.js';

export type Attribute = SCIMMY.Types.Attribute;
export type SchemaDefinition = SCIMMY.Types.SchemaDefinition;
/** A JSON object as a SCIM body holds it. */
export type Obj = Record<string, unknown>;

const { Attribute: AttributeClass, SchemaDefinition: SchemaDefinitionClass, Schema } = SCIMMY.Types;

/** A deep copy of an attribute definition without canonical values. */
function copyAttribute(a: Attribute): Attribute {
  const config = { ...a.config, canonicalValues: false };
  const subs = a.subAttributes?.map(copyAttribute);
  return new AttributeClass(a.type, a.name, config, subs && subs.length > 0 ? subs : undefined);
}

function copyDefinition(source: SchemaDefinition): SchemaDefinition {
  // SchemaDefinition's constructor adds the common attributes (schemas, id, externalId, meta) itself.
  const own = source.attributes.filter(
    (a): a is Attribute => a instanceof AttributeClass && !a.config.shadow,
  );
  return new SchemaDefinitionClass(source.name, source.id, source.description, own.map(copyAttribute));
}

const enterpriseDefinition = copyDefinition(SCIMMY.Schemas.EnterpriseUser.definition);
const userDefinition = copyDefinition(SCIMMY.Schemas.User.definition).extend(enterpriseDefinition);
const groupDefinition = copyDefinition(SCIMMY.Schemas.Group.definition);

if (userDefinition.id !== SCIM_SCHEMAS.user || groupDefinition.id !== SCIM_SCHEMAS.group) {
  throw new Error('scimmy schema ids differ from the wire schema ids');
}

/** A SCIMMY schema class over one of the private definitions: resources coerced as SCIMMY coerces them. */
function directorySchema(definition: SchemaDefinition) {
  return class extends Schema {
    static override get id(): string {
      return definition.id;
    }
    static override get definition(): SchemaDefinition {
      return definition;
    }
    constructor(data: Record<string, unknown>, direction: 'in' | 'out' | 'both' = 'both') {
      super(data, direction);
      Object.assign(this, definition.coerce(data, direction));
    }
  };
}

/** A SCIM User (core + enterprise extension) as SCIMMY coerces it. */
export const DirectoryUserSchema = directorySchema(userDefinition);

/** A SCIM Group as SCIMMY coerces it. */
export const DirectoryGroupSchema = directorySchema(groupDefinition);

export type ResourceKind = 'User' | 'Group';

export function schemaClass(kind: ResourceKind): typeof DirectoryUserSchema | typeof DirectoryGroupSchema {
  return kind === 'User' ? DirectoryUserSchema : DirectoryGroupSchema;
}

export function definitionOf(kind: ResourceKind): SchemaDefinition {
  return kind === 'User' ? userDefinition : groupDefinition;
}

/** The attribute (or extension) a path names, ignoring value filters; undefined when the schema has none. */
export function attributeAt(kind: ResourceKind, path: string): Attribute | SchemaDefinition | undefined {
  try {
    return definitionOf(kind).attribute<Attribute | SchemaDefinition>(path);
  } catch {
    return undefined;
  }
}

export function isAttribute(a: Attribute | SchemaDefinition | undefined): a is Attribute {
  return a instanceof AttributeClass;
}

/** Plain JSON of a SCIMMY schema instance (its own `toJSON` drops `returned: never` attributes such as password). */
export function plain(instance: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
}

/** The attributes the directory stores: the plain instance without `id` and `meta`, which the server owns. */
export function storedAttributes(instance: object): Record<string, unknown> {
  const data = plain(instance);
  delete data.id;
  delete data.meta;
  return data;
}
