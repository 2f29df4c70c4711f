/**
 * Queries for JavaScript, TypeScript and TSX, in the tags.scm convention of the grammars
 * (`@definition.<kind>` around `@name`, `@reference.call`). `member` marks a call through a
 * member expression, whose receiver the graph does not resolve.
 */
export const JS_DEFINITIONS = `
(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (_) @name) @definition.class
(class name: (_) @name) @definition.class
(method_definition name: (_) @name) @definition.method
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @definition.function
(program (lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable))
(program (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable))
(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)))
(program (export_statement declaration: (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)))
`;

export const TS_DEFINITIONS = `${JS_DEFINITIONS}
(abstract_class_declaration name: (_) @name) @definition.class
(interface_declaration name: (_) @name) @definition.interface
(type_alias_declaration name: (_) @name) @definition.type
(enum_declaration name: (_) @name) @definition.enum
(function_signature name: (_) @name) @definition.function
(method_signature name: (_) @name) @definition.method
(abstract_method_signature name: (_) @name) @definition.method
(internal_module name: (_) @name) @definition.module
(program (ambient_declaration (lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)))
(program (ambient_declaration (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)))
`;

export const JS_CALLS = `
(call_expression function: (identifier) @name) @reference.call
(call_expression function: (member_expression property: (_) @name)) @reference.member
(new_expression constructor: (identifier) @name) @reference.call
(new_expression constructor: (member_expression property: (_) @name)) @reference.member
`;

export const JS_IMPORTS = `
(import_statement source: (string (string_fragment) @module)) @import
(export_statement source: (string (string_fragment) @module)) @import
(call_expression function: (identifier) @fn arguments: (arguments . (string (string_fragment) @module)) (#eq? @fn "require")) @import
(call_expression function: (import) arguments: (arguments . (string (string_fragment) @module))) @import.dynamic
(call_expression function: (import) arguments: (arguments . (template_string) @module)) @import.dynamic
`;

export const JS_REFERENCES = `
(identifier) @ref
(property_identifier) @ref
(shorthand_property_identifier) @ref
(shorthand_property_identifier_pattern) @ref
`;

export const TS_REFERENCES = `${JS_REFERENCES}
(type_identifier) @ref
`;
