/**
 * Queries for Rust (see javascript.ts for the conventions). An `impl` block is a scope, not a
 * symbol: the functions in it are methods of its type.
 */
export const RS_DEFINITIONS = `
(function_item name: (identifier) @name) @definition.function
(function_signature_item name: (identifier) @name) @definition.method
(struct_item name: (type_identifier) @name) @definition.class
(union_item name: (type_identifier) @name) @definition.class
(enum_item name: (type_identifier) @name) @definition.enum
(trait_item name: (type_identifier) @name) @definition.interface
(type_item name: (type_identifier) @name) @definition.type
(mod_item name: (identifier) @name) @definition.module
(macro_definition name: (identifier) @name) @definition.function
(const_item name: (identifier) @name) @definition.variable
(static_item name: (identifier) @name) @definition.variable
(impl_item type: [(type_identifier) @name (generic_type type: (type_identifier) @name) (scoped_type_identifier name: (type_identifier) @name)]) @scope.impl
`;

export const RS_CALLS = `
(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression field: (field_identifier) @name)) @reference.member
(call_expression function: (scoped_identifier name: (identifier) @name)) @reference.member
(call_expression function: (generic_function function: (identifier) @name)) @reference.call
(call_expression function: (generic_function function: (scoped_identifier name: (identifier) @name))) @reference.member
(call_expression function: (generic_function function: (field_expression field: (field_identifier) @name))) @reference.member
(macro_invocation macro: (identifier) @name) @reference.call
`;

export const RS_IMPORTS = `
(use_declaration argument: (_) @module) @import
(extern_crate_declaration name: (identifier) @module) @import
`;

export const RS_REFERENCES = `
(identifier) @ref
(type_identifier) @ref
(field_identifier) @ref
`;
