// The one host global models/ uses beyond ECMAScript: structuredClone, which Node (≥ 17), browsers and workers all
// provide. Declared here because this project compiles with neither Node nor DOM types (models/tsconfig.json).
declare function structuredClone<T>(value: T): T;
