// SPDX-License-Identifier: GPL-2.0
/* xz decompression with a size cap. See xz.h. */
#include <errno.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>

#include "xz.h"

/* An index of more blocks than this would take is no debug section's. */
#define INDEX_MEMLIMIT (1UL << 20)

static int lzma_errno(lzma_ret ret)
{
	switch (ret) {
	case LZMA_OK:
		return 0;
	case LZMA_MEM_ERROR:
		return -ENOMEM;
	case LZMA_MEMLIMIT_ERROR:
		return -EFBIG;
	default:
		return -EINVAL;
	}
}

/*
 * The uncompressed size the stream's footer and index declare, read from
 * its end without decoding any of its data.
 */
static int declared_size(const uint8_t *in, size_t len, uint64_t *size)
{
	uint64_t memlimit = INDEX_MEMLIMIT;
	lzma_stream_flags footer;
	lzma_index *index = NULL;
	size_t index_at, pos = 0;
	lzma_ret ret;

	if (len < 2 * LZMA_STREAM_HEADER_SIZE)
		return -EINVAL;
	ret = lzma_stream_footer_decode(&footer,
					in + len - LZMA_STREAM_HEADER_SIZE);
	if (ret != LZMA_OK)
		return -EINVAL;
	if (footer.backward_size > len - 2 * LZMA_STREAM_HEADER_SIZE)
		return -EINVAL;
	index_at = len - LZMA_STREAM_HEADER_SIZE - footer.backward_size;
	ret = lzma_index_buffer_decode(&index, &memlimit, NULL, in + index_at,
				       &pos, footer.backward_size);
	if (ret != LZMA_OK)
		return lzma_errno(ret);
	*size = lzma_index_uncompressed_size(index);
	lzma_index_end(index, NULL);
	return 0;
}

int ct_xz_decompress(const void *in, size_t len, size_t max, void **out,
		     size_t *out_len)
{
	uint64_t memlimit = CT_XZ_MEMLIMIT, size = 0;
	size_t in_pos = 0, out_pos = 0;
	lzma_ret ret;
	uint8_t *buf;
	int err;

	err = declared_size(in, len, &size);
	if (err)
		return err;
	if (size > max)
		return -EFBIG;
	if (!size)
		return -EINVAL;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	ret = lzma_stream_buffer_decode(&memlimit, 0, NULL, in, &in_pos, len,
					buf, &out_pos, size);
	err = lzma_errno(ret);
	/* One stream, ending where the file does, as large as it said. */
	if (!err && (in_pos != len || out_pos != size))
		err = -EINVAL;
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*out_len = size;
	return 0;
}
