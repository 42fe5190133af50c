using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen.Checkpoints;

namespace NetGen.Data.Sequences;

/// <summary>
/// The characters of a text as token ids for a character-level model: id 0 pads, id 1 stands for any
/// character the vocabulary does not hold, and ids from 2 on are the text's characters (Unicode
/// scalar values, so a character outside the Basic Multilingual Plane is one token), most frequent
/// first. Its size is capped when it is built, because the network's Embedding and Dense sizes are
/// compile-time constants; save it beside the checkpoint (<see cref="PathBeside"/>) so that the ids a
/// model was trained on are the ids it is sampled with.
/// </summary>
public sealed class CharacterVocabulary
{
    /// <summary>The id that pads a sequence (an Embedding's <c>PaddingIndex</c>); it decodes to nothing.</summary>
    public const int PaddingId = 0;

    /// <summary>The id of every character the vocabulary does not hold; it decodes to U+FFFD.</summary>
    public const int UnknownId = 1;

    private const int FirstCharacterId = 2;
    private const string Format = "netgen.character_vocabulary";
    private readonly Rune[] characters;
    private readonly Dictionary<Rune, int> ids;

    private CharacterVocabulary(Rune[] characters)
    {
        this.characters = characters;
        ids = new Dictionary<Rune, int>(characters.Length);
        for (var i = 0; i < characters.Length; i++)
        {
            ids.Add(characters[i], FirstCharacterId + i);
        }
    }

    /// <summary>Ids in all, padding and unknown included: the size of the Embedding and of the Dense output over it.</summary>
    public int Count => characters.Length + FirstCharacterId;

    /// <summary>
    /// The characters of <paramref name="text"/>, most frequent first (ties in code point order, so the
    /// same text always gives the same ids), at most <paramref name="maxCount"/> − 2 of them: the rarer
    /// ones become <see cref="UnknownId"/>. A network declared for <paramref name="maxCount"/> ids fits
    /// it; sample from the first <see cref="Count"/> logits only, since the ids above are never trained.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="text"/> is empty, or <paramref name="maxCount"/> leaves no id for a character.</exception>
    public static CharacterVocabulary Build(string text, int maxCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, FirstCharacterId + 1);
        var counts = new Dictionary<Rune, int>();
        foreach (var rune in text.EnumerateRunes())
        {
            counts[rune] = counts.GetValueOrDefault(rune) + 1;
        }

        return new CharacterVocabulary([.. counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key.Value).Take(maxCount - FirstCharacterId).Select(pair => pair.Key)]);
    }

    /// <summary>The id of <paramref name="character"/>: its own, or <see cref="UnknownId"/>.</summary>
    public int IdOf(Rune character) => ids.GetValueOrDefault(character, UnknownId);

    /// <summary>One id per character of <paramref name="text"/>.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            result.Add(IdOf(rune));
        }

        return [.. result];
    }

    /// <summary>
    /// Checks that a network whose Embedding has <paramref name="vocabulary"/> rows (its input's
    /// <c>Vocabulary</c>) can read every id of this vocabulary: a vocabulary saved by another build of the
    /// network, with a larger cap, would otherwise fail at the first rare character, deep in training or
    /// sampling.
    /// </summary>
    /// <exception cref="InvalidOperationException">This vocabulary has more ids than <paramref name="vocabulary"/>; the message names <paramref name="network"/> and both sizes.</exception>
    public void EnsureFits(string network, int vocabulary)
    {
        if (Count > vocabulary)
        {
            throw new InvalidOperationException($"The vocabulary has {Count} ids but {network} reads token ids in [0, {vocabulary}): ids {vocabulary} to {Count - 1} have no row in its Embedding. Build the vocabulary with CharacterVocabulary.Build(text, maxCount: {vocabulary}), or declare the network's input and Embedding with a vocabulary of {Count}.");
        }
    }

    /// <summary>The text of <paramref name="tokens"/>: padding is left out, an unknown id becomes U+FFFD.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id lies outside [0, <see cref="Count"/>).</exception>
    public string Decode(ReadOnlySpan<int> tokens)
    {
        var text = new StringBuilder(tokens.Length);
        for (var i = 0; i < tokens.Length; i++)
        {
            var id = tokens[i];
            if ((uint)id >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), id, $"Token {i} is the id {id}, outside the vocabulary's {Count} ids.");
            }

            if (id != PaddingId)
            {
                text.Append((id == UnknownId ? Rune.ReplacementChar : characters[id - FirstCharacterId]).ToString());
            }
        }

        return text.ToString();
    }

    /// <summary>Where the vocabulary of the checkpoint <paramref name="checkpointPath"/> is kept: <c>run.safetensors</c> → <c>run.vocabulary.json</c>.</summary>
    public static string PathBeside(string checkpointPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointPath);
        return Path.ChangeExtension(checkpointPath, ".vocabulary.json");
    }

    /// <summary>
    /// Writes the vocabulary to <paramref name="path"/> (atomically) as JSON:
    /// <c>{"format": "netgen.character_vocabulary", "padding_id": 0, "unknown_id": 1, "characters": ["e", " ", …]}</c>,
    /// the character of id <c>2 + i</c> at index <c>i</c>.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("padding_id", PaddingId);
            json.WriteNumber("unknown_id", UnknownId);
            json.WriteStartArray("characters");
            foreach (var character in characters)
            {
                json.WriteStringValue(character.ToString());
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>Reads a vocabulary written by <see cref="Save"/>.</summary>
    /// <exception cref="DataFormatException">The file is not such a vocabulary; the message names it and what is wrong.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static CharacterVocabulary Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException error)
        {
            throw new DataFormatException(path, $"'{path}' is not a character vocabulary: it is not valid JSON ({error.Message})", error);
        }

        using (document)
        {
            var root = document.RootElement;
            string Invalid(string what) => $"'{path}' is not a character vocabulary written by CharacterVocabulary.Save: {what}.";
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                throw new DataFormatException(path, Invalid($"it has no \"format\": \"{Format}\""));
            }

            if (!HasId(root, "padding_id", PaddingId) || !HasId(root, "unknown_id", UnknownId))
            {
                throw new DataFormatException(path, Invalid($"its \"padding_id\" and \"unknown_id\" must be {PaddingId} and {UnknownId}"));
            }

            if (!root.TryGetProperty("characters", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                throw new DataFormatException(path, Invalid("it has no non-empty \"characters\" array"));
            }

            var characters = new List<Rune>(list.GetArrayLength());
            var seen = new HashSet<Rune>();
            foreach (var item in list.EnumerateArray())
            {
                var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : string.Empty;
                if (Rune.DecodeFromUtf16(text, out var rune, out var length) != System.Buffers.OperationStatus.Done || length != text.Length || !seen.Add(rune))
                {
                    throw new DataFormatException(path, Invalid($"characters[{characters.Count}] is {item.GetRawText()}, not one character that is not listed before"));
                }

                characters.Add(rune);
            }

            return new CharacterVocabulary([.. characters]);
        }
    }

    private static bool HasId(JsonElement root, string name, int expected) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) && id == expected;
}
