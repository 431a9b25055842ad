//go:build cgo

// Linking cgo makes the binary dynamic, so the LD_PRELOAD path applies.
package main

import "C"
