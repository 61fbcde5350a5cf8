// Package examples holds no code. Each directory below it is a runnable
// program that uses this module the way another module would: through its
// public packages only. The test in this directory proves that by building
// a copy of every program inside a separate module.
package examples
