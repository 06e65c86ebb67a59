/* queue.c: a bounded blocking FIFO of pointers.
 *
 * This is how ownership moves between threads (harvest -> index): the
 * producer blocks while the queue is full, which is what bounds memory to a
 * few pages whatever the size of a source.
 */
#include <pthread.h>

#include "fd_util.h"

struct fd_queue {
        pthread_mutex_t lock;
        pthread_cond_t not_empty, not_full;
        size_t cap, head, len;
        bool closed;
        void *items[];
};

struct fd_queue *fd_queue_new(size_t capacity) {
        struct fd_queue *q = calloc(1, sizeof *q + capacity * sizeof(void *));
        if (!q)
                return NULL;
        q->cap = capacity;
        pthread_mutex_init(&q->lock, NULL);
        pthread_cond_init(&q->not_empty, NULL);
        pthread_cond_init(&q->not_full, NULL);
        return q;
}

void fd_queue_free(struct fd_queue *q) {
        if (!q)
                return;
        pthread_mutex_destroy(&q->lock);
        pthread_cond_destroy(&q->not_empty);
        pthread_cond_destroy(&q->not_full);
        free(q);
}

bool fd_queue_push(struct fd_queue *q, void *item) {
        pthread_mutex_lock(&q->lock);
        while (q->len == q->cap && !q->closed)
                pthread_cond_wait(&q->not_full, &q->lock);
        bool ok = !q->closed;
        if (ok) {
                q->items[(q->head + q->len) % q->cap] = item;
                q->len++;
                pthread_cond_signal(&q->not_empty);
        }
        pthread_mutex_unlock(&q->lock);
        return ok;
}

bool fd_queue_pop(struct fd_queue *q, void **ret_item) {
        pthread_mutex_lock(&q->lock);
        while (q->len == 0 && !q->closed)
                pthread_cond_wait(&q->not_empty, &q->lock);
        bool ok = q->len > 0;
        if (ok) {
                *ret_item = q->items[q->head];
                q->head = (q->head + 1) % q->cap;
                q->len--;
                pthread_cond_signal(&q->not_full);
        }
        pthread_mutex_unlock(&q->lock);
        return ok;
}

void fd_queue_close(struct fd_queue *q) {
        pthread_mutex_lock(&q->lock);
        q->closed = true;
        pthread_cond_broadcast(&q->not_empty);
        pthread_cond_broadcast(&q->not_full);
        pthread_mutex_unlock(&q->lock);
}

size_t fd_queue_length(struct fd_queue *q) {
        pthread_mutex_lock(&q->lock);
        size_t n = q->len;
        pthread_mutex_unlock(&q->lock);
        return n;
}
