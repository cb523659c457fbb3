package handlers

import "context"

// FirstAdminLink returns a one-time link to set up the first plan admin of an empty
// database, or "" when users exist. The sign-in area implements it.
func (h *Handler) FirstAdminLink(ctx context.Context) (string, error) { return "", nil }
