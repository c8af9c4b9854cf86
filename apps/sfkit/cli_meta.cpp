// Suggestions for the command line and shell completion (see cli_meta.hpp). The second CLI11
// translation unit, next to main.cpp: both only read the App that main.cpp builds.
#include "cli_meta.hpp"

#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "suggest.hpp"

namespace sfkit::cli {
namespace {

std::vector<CLI::App*> Subcommands(CLI::App* app) {
    return app->get_subcommands([](CLI::App*) { return true; });
}

CLI::App* FindSubcommand(CLI::App* app, std::string_view word) {
    for (CLI::App* sub : Subcommands(app)) {
        if (sub->get_name() == word) {
            return sub;
        }
    }
    return nullptr;
}

/// The flag words of `options`: `--long` names when `longs`, `-s` names when `shorts`.
std::vector<std::string> FlagWords(const std::vector<const CLI::Option*>& options,
                                   bool longs,
                                   bool shorts) {
    std::vector<std::string> flags;
    for (const CLI::Option* opt : options) {
        for (const auto& name : longs ? opt->get_lnames() : std::vector<std::string>{}) {
            flags.push_back("--" + name);
        }
        for (const auto& name : shorts ? opt->get_snames() : std::vector<std::string>{}) {
            flags.push_back("-" + name);
        }
    }
    return flags;
}

/// The command a command line addresses (the deepest subcommand named), and its path.
CLI::App* Addressed(CLI::App& app, int argc, char** argv, std::string& path) {
    CLI::App* current = &app;
    path = "sfkit";
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (word == "--") {
            break;
        }
        if (CLI::App* next =
                word.empty() || word.front() == '-' ? nullptr : FindSubcommand(current, word)) {
            current = next;
            path += " " + next->get_name();
        }
    }
    return current;
}

/// One command of the tree, flattened for the completion scripts.
struct Node {
    std::string path;  ///< "" for the program itself, else "login web"
    std::vector<std::pair<std::string, std::string>> subcommands;  ///< name, description
    std::vector<const CLI::Option*> options;
};

void Collect(CLI::App* app, const std::string& path, std::vector<Node>& out) {
    Node node;
    node.path = path;
    for (CLI::App* sub : Subcommands(app)) {
        node.subcommands.emplace_back(sub->get_name(), sub->get_description());
    }
    for (const CLI::Option* opt : app->get_options()) {
        if (!opt->get_lnames().empty() || !opt->get_snames().empty()) {
            node.options.push_back(opt);
        }
    }
    out.push_back(node);
    for (CLI::App* sub : Subcommands(app)) {
        Collect(sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
    }
}

std::string Join(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) {
        if (!s.empty()) {
            s += ' ';
        }
        s += w;
    }
    return s;
}

std::vector<std::string> SubcommandNames(const Node& n) {
    std::vector<std::string> names;
    for (const auto& [name, help] : n.subcommands) {
        names.push_back(name);
    }
    return names;
}

/// Text inside single quotes for sh-like shells and fish: ' becomes '\'' (sh) or \' (fish).
std::string Quote(std::string_view text, bool fish) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'') {
            out += fish ? "\\'" : "'\\''";
        } else if (c == '\\' && fish) {
            out += "\\\\";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out + "'";
}

/// The first sentence-ish part of a description, for the one-line hints of zsh and fish.
std::string Short(std::string text) {
    if (const auto cut = text.find_first_of("(\n"); cut != std::string::npos && cut > 10) {
        text = text.substr(0, cut);
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text.size() > 70 ? text.substr(0, 67) + "..." : text;
}

/// Shared by the bash and zsh scripts: `_P_subs PATH` prints the subcommands of a command
/// path, `_P_flags PATH` its flags.
std::string ShTables(const std::vector<Node>& nodes, const std::string& fn) {
    std::string subs = fn + "_subs() {\n    case \"$1\" in\n";
    std::string flags = fn + "_flags() {\n    case \"$1\" in\n";
    for (const Node& n : nodes) {
        if (!n.subcommands.empty()) {
            subs += "        " + Quote(n.path, false) + ") echo " +
                    Quote(Join(SubcommandNames(n)), false) + " ;;\n";
        }
        flags += "        " + Quote(n.path, false) + ") echo " +
                 Quote(Join(FlagWords(n.options, true, true)), false) + " ;;\n";
    }
    subs += "    esac\n}\n";
    flags += "    esac\n}\n";
    return subs + flags;
}

std::string BashScript(const std::vector<Node>& nodes, const std::string& program) {
    const std::string fn = "_" + program;
    std::string s = "# bash completion for " + program + " (generated by '" + program +
                    " completion bash'). Load it with:\n#   source <(" + program +
                    " completion bash)\n";
    s += ShTables(nodes, fn);
    s += fn +
         "() {\n"
         "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"\" i w subs\n"
         "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "        w=\"${COMP_WORDS[i]}\"\n"
         "        [[ \"$w\" == -* ]] && continue\n"
         "        subs=\" $(" +
         fn +
         "_subs \"$cmd\") \"\n"
         "        [[ \"$subs\" == *\" $w \"* ]] && cmd=\"${cmd:+$cmd }$w\"\n"
         "    done\n"
         "    if [[ \"$cur\" == -* ]]; then\n"
         "        COMPREPLY=($(compgen -W \"$(" +
         fn +
         "_flags \"$cmd\")\" -- \"$cur\"))\n"
         "    else\n"
         "        COMPREPLY=($(compgen -W \"$(" +
         fn +
         "_subs \"$cmd\")\" -- \"$cur\"))\n"
         "    fi\n"
         "}\n"
         "complete -o default -F " +
         fn + " " + program + "\n";
    return s;
}

std::string ZshScript(const std::vector<Node>& nodes, const std::string& program) {
    const std::string fn = "_" + program;
    std::string s = "#compdef " + program + "\n# zsh completion for " + program +
                    " (generated by '" + program +
                    " completion zsh'). Load it with\n"
                    "#   source <(" +
                    program +
                    " completion zsh)\n"
                    "# after compinit, or save it as " +
                    fn + " in a directory of $fpath.\n";
    s += ShTables(nodes, fn);
    s += fn +
         "() {\n"
         "    local cmd=\"\" w i\n"
         "    local -a subs flags\n"
         "    for ((i = 2; i < CURRENT; i++)); do\n"
         "        w=\"${words[i]}\"\n"
         "        [[ \"$w\" == -* ]] && continue\n"
         "        subs=(${=\"$(" +
         fn +
         "_subs \"$cmd\")\"})\n"
         "        (( ${subs[(Ie)$w]} )) && cmd=\"${cmd:+$cmd }$w\"\n"
         "    done\n"
         "    subs=(${=\"$(" +
         fn +
         "_subs \"$cmd\")\"})\n"
         "    flags=(${=\"$(" +
         fn +
         "_flags \"$cmd\")\"})\n"
         "    if [[ \"$PREFIX\" == -* ]]; then\n"
         "        compadd -- $flags\n"
         "    elif (( ${#subs} )); then\n"
         "        compadd -- $subs\n"
         "    else\n"
         "        _files\n"
         "    fi\n"
         "}\n"
         "if (( $+functions[compdef] )); then\n"
         "    compdef " +
         fn + " " + program +
         "\n"
         "fi\n";
    return s;
}

std::string FishScript(const std::vector<Node>& nodes, const std::string& program) {
    const std::string fn = "__" + program + "_at";
    std::string s = "# fish completion for " + program + " (generated by '" + program +
                    " completion fish'). Load it with\n#   " + program +
                    " completion fish | source\n# or save it as ~/.config/fish/completions/" +
                    program + ".fish\n";
    // __P_at PATH: whether the command line so far addresses exactly that command path.
    s += "function " + fn +
         "\n"
         "    set -l cmd ''\n"
         "    set -l words (commandline -opc)\n"
         "    for w in $words[2..-1]\n"
         "        string match -q -- '-*' $w; and continue\n"
         "        if contains -- $w (__" +
         program +
         "_subs $cmd)\n"
         "            set cmd (string trim -- \"$cmd $w\")\n"
         "        end\n"
         "    end\n"
         "    test \"$cmd\" = \"$argv[1]\"\n"
         "end\n";
    s += "function __" + program + "_subs\n    switch \"$argv[1]\"\n";
    for (const Node& n : nodes) {
        if (!n.subcommands.empty()) {
            s += "        case " + Quote(n.path, true) + "\n            printf '%s\\n' " +
                 Join([&] {
                     std::vector<std::string> q;
                     for (const auto& name : SubcommandNames(n)) {
                         q.push_back(Quote(name, true));
                     }
                     return q;
                 }()) +
                 "\n";
        }
    }
    s += "    end\nend\n";
    s += "complete -c " + program + " -f\n";
    for (const Node& n : nodes) {
        const std::string cond = " -n " + Quote(fn + " " + Quote(n.path, true), true);
        for (const auto& [name, help] : n.subcommands) {
            s += "complete -c " + program + cond + " -a " + Quote(name, true) + " -d " +
                 Quote(Short(help), true) + "\n";
        }
        for (const CLI::Option* opt : n.options) {
            std::string line = "complete -c " + program + cond;
            for (const auto& l : opt->get_lnames()) {
                line += " -l " + l;
            }
            for (const auto& sn : opt->get_snames()) {
                line += " -s " + sn;
            }
            if (opt->get_type_size() != 0) {
                line += " -r -F";  // takes a value: offer files
            }
            line += " -d " + Quote(Short(opt->get_description()), true);
            s += line + "\n";
        }
    }
    return s;
}

}  // namespace

std::string CheckCommandWords(CLI::App& app, int argc, char** argv) {
    CLI::App* current = &app;
    std::string path = "sfkit";
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        const auto subs = Subcommands(current);
        if (subs.empty() || word.empty() || word.front() == '-') {
            return {};
        }
        CLI::App* next = FindSubcommand(current, word);
        if (next == nullptr) {
            std::vector<std::string> names;
            for (CLI::App* sub : subs) {
                names.push_back(sub->get_name());
            }
            std::string message = "'" + std::string(word) + "' is not a " + path + " command.";
            if (const std::string did = DidYouMean(Nearest(word, names)); !did.empty()) {
                message += " " + did;
            }
            return message + " Run '" + path + " --help' for the list.";
        }
        current = next;
        path += " " + next->get_name();
    }
    return {};
}

std::string CheckFlagWords(CLI::App& app, int argc, char** argv) {
    std::string path;
    const CLI::App* command = Addressed(app, argc, argv, path);
    const std::vector<std::string> longs = FlagWords(command->get_options(), true, false);
    const std::vector<std::string> shorts = FlagWords(command->get_options(), false, true);
    for (int i = 1; i < argc; ++i) {
        std::string word = argv[i];
        if (word == "--") {
            break;
        }
        const bool is_long = word.rfind("--", 0) == 0 && word.size() > 2;
        const bool is_short = !is_long && word.size() == 2 && word[0] == '-' && word[1] != '-' &&
                              !std::isdigit(static_cast<unsigned char>(word[1]));
        if (!is_long && !is_short) {
            continue;
        }
        word = word.substr(0, word.find('='));
        const auto& known = is_long ? longs : shorts;
        if (std::find(known.begin(), known.end(), word) != known.end()) {
            continue;
        }
        std::string message = "'" + word + "' is not a flag of '" + path + "'.";
        if (const std::string did = DidYouMean(Nearest(word, longs)); !did.empty()) {
            message += " " + did;
        }
        return message + " Run '" + path + " --help' for its flags.";
    }
    return {};
}

std::string CommandPath(CLI::App& app, int argc, char** argv) {
    std::string path;
    Addressed(app, argc, argv, path);
    const auto space = path.find(' ');
    return space == std::string::npos ? std::string() : path.substr(space + 1);
}

std::string CompletionScript(CLI::App& app, const std::string& shell, const std::string& program) {
    std::vector<Node> nodes;
    Collect(&app, "", nodes);
    if (shell == "bash") {
        return BashScript(nodes, program);
    }
    if (shell == "zsh") {
        return ZshScript(nodes, program);
    }
    if (shell == "fish") {
        return FishScript(nodes, program);
    }
    return {};
}

}  // namespace sfkit::cli
