/**
 * Command and event names from public event-sourcing samples and documentation, as their authors
 * wrote them (suffixes such as `Command`/`Event` dropped). The naming lints are measured on them:
 * every command here must pass EDA6001 and every event EDA6002; declared the other way round
 * (a sample's event as a command, its command as an event) they must warn.
 */
const split = (s: string): string[] => s.trim().split(/\s+/);

/** Source → [commands, events]. */
export const CORPUS: Record<string, [commands: string[], events: string[]]> = {
  "SimpleCQRS inventory": [
    split("CreateInventoryItem DeactivateInventoryItem RenameInventoryItem CheckInItemsToInventory RemoveItemsFromInventory"),
    split("InventoryItemCreated InventoryItemDeactivated InventoryItemRenamed ItemsCheckedInToInventory ItemsRemovedFromInventory"),
  ],
  "Emmett shopping cart": [
    split("OpenShoppingCart AddProductItemToShoppingCart RemoveProductItemFromShoppingCart ConfirmShoppingCart CancelShoppingCart"),
    split("ShoppingCartOpened ProductItemAddedToShoppingCart ProductItemRemovedFromShoppingCart ShoppingCartConfirmed ShoppingCartCanceled"),
  ],
  "Temporal trip booking": [
    split("BookTrip BookCar BookHotel BookFlight CancelCar CancelHotel CancelFlight MarkTripBooked MarkTripFailed"),
    split("TripBooked CarBooked HotelBooked FlightBooked CarCancelled HotelCancelled FlightCancelled TripBookingFailed"),
  ],
  "Axon gift card": [split("IssueGiftCard RedeemGiftCard CancelGiftCard ReimburseGiftCard"), split("GiftCardIssued GiftCardRedeemed GiftCardCancelled GiftCardReimbursed")],
  "bank transfer saga": [
    split("OpenAccount CloseAccount DepositMoney WithdrawMoney TransferMoney DebitAccount CreditAccount CompleteTransfer FailTransfer ReverseDebit StartTransfer"),
    split("AccountOpened AccountClosed MoneyDeposited MoneyWithdrawn MoneyTransferred AccountDebited AccountCredited TransferCompleted TransferFailed DebitReversed TransferStarted TransferRequested"),
  ],
  "Eventuous booking": [
    split("BookRoom RecordPayment CancelBooking ChangeBookingDates"),
    split("RoomBooked PaymentRecorded BookingFullyPaid BookingOverpaid BookingCancelled BookingDatesChanged BookingOutstandingAmountChanged"),
  ],
  "hotel guest stay": [
    split("CheckInGuest CheckOutGuest RecordCharge RecordPayment OpenGroupCheckout RecordGuestCheckoutCompletion"),
    split("GuestCheckedIn GuestCheckedOut ChargeRecorded GuestCheckoutFailed GroupCheckoutInitiated GuestCheckoutCompleted GroupCheckoutCompleted GroupCheckoutFailed"),
  ],
  "Marten quest party": [split("StartQuest JoinQuest LeaveQuest EndQuest"), split("QuestStarted MembersJoined MembersDeparted ArrivedAtLocation MonsterSlain QuestEnded QuestPaused")],
  "Conduit on Commanded": [
    split("RegisterUser UpdateUser CreateArticle PublishArticle FavoriteArticle UnfavoriteArticle CommentOnArticle DeleteComment FollowAuthor UnfollowAuthor UpdateArticle DeleteArticle"),
    split("UserRegistered UserUpdated UsernameChanged EmailChanged PasswordChanged ArticleCreated ArticlePublished ArticleFavorited ArticleUnfavorited ArticleCommented CommentDeleted AuthorFollowed AuthorUnfollowed AuthorCreated ArticleDeleted"),
  ],
  "DDD sample cargo": [
    split("BookNewCargo AssignCargoToRoute ChangeDestination RegisterHandlingEvent RequestPossibleRoutes"),
    split("CargoBooked CargoRouted CargoAssignedToRoute DestinationChanged CargoReceived CargoLoaded CargoUnloaded CargoClaimed CargoMisdirected CargoArrived CargoCustomsCleared"),
  ],
  "order and payment samples": [
    split("PlaceOrder ConfirmOrder CancelOrder ShipOrder PayOrder CompleteOrder RejectOrder ApproveOrder SubmitOrder AddOrderLine RemoveOrderLine ChangeShippingAddress RequestPayment CapturePayment RefundPayment AuthorizePayment DiscardPayment TimeOutPayment"),
    split("OrderPlaced OrderConfirmed OrderCancelled OrderShipped OrderPaid OrderCompleted OrderRejected OrderApproved OrderSubmitted OrderLineAdded OrderLineRemoved ShippingAddressChanged PaymentRequested PaymentCaptured PaymentRefunded PaymentAuthorized PaymentDiscarded PaymentTimedOut PaymentFailed PaymentCompleted OrderInitialized OrderInitiated"),
  ],
  "eShopOnContainers ordering": [
    split("CreateOrder CancelOrder ShipOrder SetAwaitingValidationOrderStatus SetStockConfirmedOrderStatus SetStockRejectedOrderStatus SetPaidOrderStatus CreateOrderDraft"),
    split("OrderStarted OrderStatusChangedToAwaitingValidation OrderStatusChangedToPaid OrderStatusChangedToStockConfirmed OrderStatusChangedToShipped OrderStatusChangedToCancelled OrderStatusChangedToSubmitted OrderStockConfirmed OrderStockRejected OrderPaymentSucceeded OrderPaymentFailed BuyerAndPaymentMethodVerified UserCheckoutAccepted ProductPriceChanged GracePeriodConfirmed"),
  ],
  "library and loans": [
    split("AddBook RemoveBook BorrowBook ReturnBook ReserveBook ExtendLoan RegisterMember SuspendMember PlaceHold CancelHold CheckoutBook"),
    split("BookAdded BookRemoved BookBorrowed BookReturned BookReserved LoanExtended MemberRegistered MemberSuspended HoldPlaced HoldCancelled HoldExpired BookCheckedOut"),
  ],
  "todo and task lists": [
    split("CreateTodoList AddTodo CompleteTodo ReopenTodo RemoveTodo RenameTodoList ArchiveTodoList AssignTask UnassignTask StartTask FinishTask PostponeTask"),
    split("TodoListCreated TodoAdded TodoCompleted TodoReopened TodoRemoved TodoListRenamed TodoListArchived TaskAssigned TaskUnassigned TaskStarted TaskFinished TaskPostponed"),
  ],
  "user accounts": [
    split("SignUp RegisterAccount VerifyEmail ChangePassword ResetPassword RequestPasswordReset LockAccount UnlockAccount DeactivateAccount ReactivateAccount ChangeEmail UpdateProfile LogIn LogOut GrantRole RevokeRole InviteUser AcceptInvitation"),
    split("UserSignedUp AccountRegistered EmailVerified PasswordReset PasswordResetRequested AccountLocked AccountUnlocked AccountDeactivated AccountReactivated ProfileUpdated UserLoggedIn UserLoggedOut RoleGranted RoleRevoked UserInvited InvitationAccepted"),
  ],
  "subscriptions and billing": [
    split("Subscribe Unsubscribe StartSubscription CancelSubscription RenewSubscription UpgradePlan DowngradePlan IssueInvoice PayInvoice VoidInvoice ChargeCustomer ApplyDiscount SendReminder"),
    split("Subscribed Unsubscribed SubscriptionStarted SubscriptionCancelled SubscriptionRenewed SubscriptionExpired PlanUpgraded PlanDowngraded InvoiceIssued InvoicePaid InvoiceVoided CustomerCharged DiscountApplied ReminderSent InvoiceSent"),
  ],
  "warehouse and shipping": [
    split("ReceiveGoods ReserveStock ReleaseStock PickItems PackShipment DispatchShipment DeliverParcel ScheduleDelivery RescheduleDelivery AdjustStock RestockProduct"),
    split("GoodsReceived StockReserved StockReleased ItemsPicked ShipmentPacked ShipmentDispatched ParcelDelivered DeliveryScheduled DeliveryRescheduled StockAdjusted ProductRestocked ParcelPickedUp ShipmentLost StockDepleted"),
  ],
  "meetings, tickets and seats": [
    split("ScheduleMeeting CancelMeeting InviteAttendee ReserveSeats CancelReservation ConfirmReservation OpenTicket CloseTicket EscalateTicket ResolveTicket CommentOnTicket"),
    split("MeetingScheduled MeetingCancelled AttendeeInvited SeatsReserved ReservationCancelled ReservationConfirmed TicketOpened TicketClosed TicketEscalated TicketResolved TicketCommentedOn SeatsHeld"),
  ],
};

export const COMMANDS = Object.values(CORPUS).flatMap(([c]) => c);
export const EVENTS = Object.values(CORPUS).flatMap(([, e]) => e);
