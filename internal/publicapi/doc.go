// Package publicapi has no code of its own. Its test checks the exported
// API of every public package of the module: no exported name may have a
// type, field, parameter or result from an internal package, because code
// in another module cannot name such a type.
package publicapi
