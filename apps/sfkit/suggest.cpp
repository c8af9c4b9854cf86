// "Did you mean ...?" (see suggest.hpp).
#include "suggest.hpp"

#include <algorithm>
#include <cctype>

namespace sfkit::cli {
namespace {

char Lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
               return Lower(a) == Lower(b);
           });
}

}  // namespace

std::size_t EditDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            const bool same = Lower(a[i - 1]) == Lower(b[j - 1]);
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::vector<std::string> Nearest(std::string_view word,
                                 const std::vector<std::string>& candidates,
                                 std::size_t limit) {
    const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
    struct Scored {
        std::size_t distance;
        std::size_t order;
    };
    std::vector<Scored> scored;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const std::string& c = candidates[i];
        if (c == word) {
            return {};  // the word names a candidate: nothing to suggest
        }
        std::size_t d = EditDistance(word, c);
        if (d > allowed && word.size() >= 2 && StartsWithIgnoringCase(c, word)) {
            d = allowed;  // a prefix counts as near, behind the closer typos
        }
        if (d <= allowed) {
            scored.push_back({d, i});
        }
    }
    std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        return a.distance < b.distance;
    });
    std::vector<std::string> out;
    for (const auto& s : scored) {
        if (out.size() == limit) {
            break;
        }
        if (std::find(out.begin(), out.end(), candidates[s.order]) == out.end()) {
            out.push_back(candidates[s.order]);
        }
    }
    return out;
}

std::string DidYouMean(const std::vector<std::string>& names) {
    if (names.empty()) {
        return {};
    }
    std::string text = "Did you mean ";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) {
            text += i + 1 == names.size() ? " or " : ", ";
        }
        text += "'" + names[i] + "'";
    }
    return text + "?";
}

}  // namespace sfkit::cli
