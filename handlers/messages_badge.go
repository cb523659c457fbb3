package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// unreadCount is the number of unread secure-message threads shown in the Messaging
// navigation item.
// requestUnread is unreadCount once per request: the dashboard's action bar and the
// navigation badge both show it.
func (h *Handler) requestUnread(c *fiber.Ctx, u *models.User) int {
	if n, ok := c.Locals("portico.unread").(int); ok {
		return n
	}
	n := h.unreadCount(c.UserContext(), u)
	c.Locals("portico.unread", n)
	return n
}

func (h *Handler) unreadCount(ctx context.Context, u *models.User) int {
	n, err := h.messages().UnreadCount(ctx, u)
	if err != nil {
		h.log.Error("unread count", "err", err)
		return 0
	}
	return n
}

// badgeView is the data of partials/messages/badge when it is sent alone; OOB marks an
// out-of-band swap.
type badgeView struct {
	View
	Count int
	OOB   bool
}

// MessagesUnread answers the header's badge poll with the badge alone, exactly as
// partials/head renders it, so htmx swaps it with outerHTML.
func (h *Handler) MessagesUnread(c *fiber.Ctx) error {
	return h.renderFragment(c, fiber.StatusOK, "partials/messages/badge", &badgeView{Count: h.unreadCount(c.UserContext(), currentUser(c))})
}
