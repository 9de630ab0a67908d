// The C side of BindPublicAccountOwners' progress callback: cgo cannot
// take the address of an exported Go function, and a cgo.Handle travels
// as an integer so that no Go pointer is handed to C.
#include <eiam.h>

#include "_cgo_export.h"

static bool eiam_go_progress(void *user_data, size_t done, size_t total, size_t failures) {
    return eiamGoProgress((uintptr_t)user_data, done, total, failures);
}

enum eiam_status eiam_go_bind_public_account_owners(const eiam_client *client, const eiam_bind_item *items,
                                                    size_t count, uint32_t concurrency, uintptr_t progress,
                                                    eiam_bind_result *out_results, eiam_error *err) {
    return eiam_bind_public_account_owners(client, items, count, concurrency, progress ? eiam_go_progress : NULL,
                                           (void *)progress, out_results, err);
}
