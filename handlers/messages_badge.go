package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// unreadCount is the number of unread secure-message threads shown in the Messaging
// navigation item.
func (h *Handler) unreadCount(ctx context.Context, u *models.User) int {
	n, err := h.messages().UnreadCount(ctx, u)
	if err != nil {
		h.log.Error("unread count", "err", err)
		return 0
	}
	return n
}

// MessagesUnread answers the header's badge poll with the badge alone, exactly as
// partials/head renders it, so htmx swaps it with outerHTML.
func (h *Handler) MessagesUnread(c *fiber.Ctx) error {
	return h.renderFragment(c, fiber.StatusOK, "partials/messages/badge",
		fiber.Map{"Count": h.unreadCount(c.UserContext(), currentUser(c))})
}
