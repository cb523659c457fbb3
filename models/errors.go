// Package models holds Portico's domain: its types, its rules and its SQL.
package models

import (
	"errors"

	"portico/db"
)

// Sentinel errors that the handlers' ErrorHandler maps to HTTP statuses.
var (
	// ErrNotFound: the thing asked for does not exist (or may not be known to exist).
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the user may not do or see this.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the request clashes with the current state.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input failed validation; see FieldErrors for details.
	ErrInvalid = errors.New("invalid input")
)

// FieldErrors maps a form field name to the message shown next to it.
type FieldErrors map[string]string

// Error makes FieldErrors usable as an error that matches ErrInvalid.
func (f FieldErrors) Error() string { return "invalid input" }

// Is lets errors.Is(fieldErrors, ErrInvalid) hold.
func (f FieldErrors) Is(target error) bool { return target == ErrInvalid }

// TimeFormat is how instants are stored: UTC, second precision, sortable as text.
const TimeFormat = db.TimeFormat

// DateFormat is how dates (of birth, of service) are stored.
const DateFormat = "2006-01-02"
