package handlers

import (
	"errors"

	"portico/models"
)

// isNotFound tells whether err means "no such row".
func isNotFound(err error) bool { return errors.Is(err, models.ErrNotFound) }
