// Every sample format libavcodec emits, as interleaved float in -1..1, and the mono
// downmix the analysis runs on. Caller-owned output buffers; nothing allocates.
#pragma once

#include <cstddef>

extern "C" {
#include <libavutil/frame.h>
}

namespace emotune::audio {

// Writes frame.nb_samples × channels floats to `out`. False for a format it does not
// know (none of libavcodec's audio decoders produce one today). A frame with fewer
// channels than `channels` fills the rest with silence; extra ones are dropped.
bool ToInterleavedFloat(const AVFrame& frame, int channels, float* out);

// The mean of the channels, frame by frame: keeps a mono file's level, and a stereo
// file with the same signal in both channels gives that signal.
void DownmixToMono(const float* interleaved, std::size_t frames, std::size_t channels, float* mono);

}  // namespace emotune::audio
