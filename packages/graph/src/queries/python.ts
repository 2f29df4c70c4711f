/** Queries for Python (see javascript.ts for the conventions). */
export const PY_DEFINITIONS = `
(function_definition name: (identifier) @name) @definition.function
(class_definition name: (identifier) @name) @definition.class
(module (expression_statement (assignment left: (identifier) @name) @definition.variable))
`;

export const PY_CALLS = `
(call function: (identifier) @name) @reference.call
(call function: (attribute attribute: (identifier) @name)) @reference.member
`;

export const PY_IMPORTS = `
(import_statement name: [(dotted_name) @module (aliased_import name: (dotted_name) @module)]) @import
(import_from_statement module_name: (_) @module) @import
(call function: (identifier) @fn arguments: (argument_list . (string (string_content) @module)) (#eq? @fn "__import__")) @import.dynamic
(call function: (attribute object: (identifier) @obj attribute: (identifier) @fn) arguments: (argument_list . (string (string_content) @module)) (#eq? @obj "importlib") (#eq? @fn "import_module")) @import.dynamic
`;

export const PY_REFERENCES = `
(identifier) @ref
`;
